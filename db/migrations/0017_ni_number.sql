-- A contact's National Insurance number (SPEC §4 niNumber), validated and normalised at intake (upper-case, no
-- spaces: src/intake/identifiers/ni-number.ts), staged and committed like the other typed fields. Sensitive like
-- the UTR: the error file masks it (src/intake/fields/field-reader.ts).
ALTER TABLE staged_contacts ADD COLUMN ni_number text;
ALTER TABLE contacts ADD COLUMN ni_number text;
