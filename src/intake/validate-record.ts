// Field-level validation and normalisation of one imported record (SPEC §4), with the error reasons of SPEC §6.
//
// Each checker takes whatever JSON.parse produced for one element of a batch's `records` array and returns
// every failing field at once (not only the first) together with the normalised values: each value is the
// normalised form when valid, `null` when absent or invalid. How a single field is read is in fields/, the
// identifier rules (company number, VAT, UTR, NI number, postcode) with their sources in identifiers/.
//
// Decisions worth knowing:
// - Refs, names and the other free-text fields must be JSON strings. For the identifiers a JSON integer is also
//   accepted and converted to its decimal string. Phone numbers must be strings: as numbers they lose their
//   leading 0 or +.
// - Enum values (clientType, role, kind, owner.type) are trimmed and matched case-insensitively, normalised to
//   the lower-case spelling of records.ts.
// - Unknown fields are never read, so whatever they hold (even U+0000) does not fail the record.
// - contact.clients: more than MAX_CLIENT_LINKS links → one 'too_long' error on `clients` and no per-link
//   checks (values.clients is then []). Otherwise values.clients has one entry per element (index = field path
//   index). The same (ref, role) pair twice is not an error here; de-duplicate when writing links.
import { ADDRESS_KINDS, CLIENT_TYPES, CONTACT_ROLES, OWNER_TYPES } from '../contract/records.ts';
import type {
  AddressValues,
  Checked,
  ClientValues,
  ContactLinkValues,
  ContactValues,
  FieldError,
  RecordType,
  ValuesByType,
} from '../contract/records.ts';
import { readEmail, readPhone, readWebsite } from './fields/contact-fields.ts';
import { readCountry, readDate, todayUtc } from './fields/date-fields.ts';
import {
  describeJsonType,
  enumLookup,
  isObject,
  push,
  quote,
  readEnum,
  readIdentifier,
  readString,
  shown,
  spec,
  type FieldSpec,
} from './fields/field-reader.ts';
import { parseCompanyNumber } from './identifiers/company-number.ts';
import { parseNiNumber } from './identifiers/ni-number.ts';
import { parsePostcode } from './identifiers/postcode.ts';
import { parseUtr } from './identifiers/utr.ts';
import { parseVatNumber } from './identifiers/vat-number.ts';

// ---------------------------------------------------------------------------------------------------------------
// Limits

export const MAX_REF_LENGTH = 64;
export const MAX_TEXT_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_WEBSITE_LENGTH = 2048;
export const MAX_PHONE_LENGTH = 40;
/** Raw length cap for identifiers (company / VAT / UTR / NI number) before normalisation; the real checks are stricter. */
const MAX_IDENTIFIER_LENGTH = 32;
export const MAX_POSTCODE_LENGTH = 16;
export const MAX_CLIENT_LINKS = 100;

const CLIENT_TYPE_LOOKUP = enumLookup(CLIENT_TYPES);
const ROLE_LOOKUP = enumLookup(CONTACT_ROLES);
const KIND_LOOKUP = enumLookup(ADDRESS_KINDS);
const OWNER_TYPE_LOOKUP = enumLookup(OWNER_TYPES);

// ---------------------------------------------------------------------------------------------------------------
// Field specs, built once

const F = {
  ref: spec('ref', 'Ref', MAX_REF_LENGTH),
  clientReference: spec('clientReference', 'Client reference', MAX_TEXT_LENGTH),
  name: spec('name', 'Name', MAX_TEXT_LENGTH),
  clientType: spec('clientType', 'Client type', MAX_TEXT_LENGTH),
  companyNumber: spec('companyNumber', 'Company number', MAX_IDENTIFIER_LENGTH),
  vatNumber: spec('vatNumber', 'VAT number', MAX_IDENTIFIER_LENGTH),
  utr: spec('utr', 'UTR', MAX_IDENTIFIER_LENGTH, true),
  email: spec('email', 'Email address', MAX_EMAIL_LENGTH),
  phone: spec('phone', 'Phone number', MAX_PHONE_LENGTH),
  website: spec('website', 'Website', MAX_WEBSITE_LENGTH),
  title: spec('title', 'Title', MAX_TEXT_LENGTH),
  firstName: spec('firstName', 'First name', MAX_TEXT_LENGTH),
  lastName: spec('lastName', 'Last name', MAX_TEXT_LENGTH),
  dateOfBirth: spec('dateOfBirth', 'Date of birth', MAX_TEXT_LENGTH, true),
  niNumber: spec('niNumber', 'NI number', MAX_IDENTIFIER_LENGTH, true),
  ownerType: spec('owner.type', 'Owner type', MAX_TEXT_LENGTH),
  ownerRef: spec('owner.ref', 'Owner ref', MAX_REF_LENGTH),
  kind: spec('kind', 'Address kind', MAX_TEXT_LENGTH),
  line1: spec('line1', 'Address line 1', MAX_TEXT_LENGTH),
  line2: spec('line2', 'Address line 2', MAX_TEXT_LENGTH),
  town: spec('town', 'Town', MAX_TEXT_LENGTH),
  county: spec('county', 'County', MAX_TEXT_LENGTH),
  postcode: spec('postcode', 'Postcode', MAX_POSTCODE_LENGTH),
  country: spec('country', 'Country', MAX_TEXT_LENGTH),
  from: spec('from', 'Start date', MAX_TEXT_LENGTH),
  to: spec('to', 'End date', MAX_TEXT_LENGTH),
} as const;

interface LinkSpecs {
  readonly ref: FieldSpec;
  readonly role: FieldSpec;
  readonly item: string;
}

const LINK_SPECS: readonly LinkSpecs[] = Array.from({ length: MAX_CLIENT_LINKS }, (_, i) => {
  const where = ` in client link ${i + 1}`;
  return {
    ref: spec(`clients[${i}].ref`, 'Client ref', MAX_REF_LENGTH, false, where),
    role: spec(`clients[${i}].role`, 'Role', MAX_TEXT_LENGTH, false, where),
    item: `clients[${i}]`,
  };
});

const NOT_AN_OBJECT_REASON = 'The record is not a JSON object.';

function notAnObject(): FieldError[] {
  return [{ field: '', code: 'not_an_object', reason: NOT_AN_OBJECT_REASON }];
}

// ---------------------------------------------------------------------------------------------------------------
// Checkers

export function checkClient(raw: unknown): Checked<ClientValues> {
  if (!isObject(raw)) {
    return {
      values: {
        ref: null,
        clientReference: null,
        name: null,
        clientType: null,
        companyNumber: null,
        vatNumber: null,
        utr: null,
        email: null,
        phone: null,
        website: null,
      },
      errors: notAnObject(),
    };
  }
  const errors: FieldError[] = [];
  const values: ClientValues = {
    ref: readString(errors, raw['ref'], F.ref, true),
    clientReference: readString(errors, raw['clientReference'], F.clientReference, true),
    name: readString(errors, raw['name'], F.name, true),
    clientType: readEnum(errors, raw['clientType'], F.clientType, true, CLIENT_TYPE_LOOKUP),
    companyNumber: readIdentifier(errors, raw['companyNumber'], F.companyNumber, 'invalid_company_number', parseCompanyNumber),
    vatNumber: readIdentifier(errors, raw['vatNumber'], F.vatNumber, 'invalid_vat_number', parseVatNumber),
    utr: readIdentifier(errors, raw['utr'], F.utr, 'invalid_utr', parseUtr),
    email: readEmail(errors, raw['email'], F.email),
    phone: readPhone(errors, raw['phone'], F.phone),
    website: readWebsite(errors, raw['website'], F.website),
  };
  return { values, errors };
}

function readClientLinks(errors: FieldError[], v: unknown): ContactLinkValues[] {
  if (v === undefined || v === null) {
    push(errors, 'clients', 'required', 'Clients is required: a contact must be linked to at least one client.');
    return [];
  }
  if (!Array.isArray(v)) {
    push(errors, 'clients', 'invalid_type', `Clients must be a list of {ref, role} links, but ${describeJsonType(v)} was sent.`);
    return [];
  }
  const n = v.length;
  if (n === 0) {
    push(errors, 'clients', 'empty_list', 'Clients is empty: a contact must be linked to at least one client.');
    return [];
  }
  if (n > MAX_CLIENT_LINKS) {
    push(errors, 'clients', 'too_long', `Clients has ${n} links; the maximum is ${MAX_CLIENT_LINKS}.`);
    return [];
  }
  const links: ContactLinkValues[] = new Array<ContactLinkValues>(n);
  for (let i = 0; i < n; i++) {
    const specs = LINK_SPECS[i]!;
    const item: unknown = v[i];
    if (!isObject(item)) {
      push(
        errors,
        specs.item,
        'invalid_type',
        `Client link ${i + 1} must be an object with a ref and a role, but ${describeJsonType(item)} was sent.`,
      );
      links[i] = { ref: null, role: null };
      continue;
    }
    links[i] = {
      ref: readString(errors, item['ref'], specs.ref, true),
      role: readEnum(errors, item['role'], specs.role, true, ROLE_LOOKUP),
    };
  }
  return links;
}

export function checkContact(raw: unknown): Checked<ContactValues> {
  if (!isObject(raw)) {
    return {
      values: {
        ref: null,
        title: null,
        firstName: null,
        lastName: null,
        email: null,
        phone: null,
        dateOfBirth: null,
        niNumber: null,
        clients: [],
      },
      errors: notAnObject(),
    };
  }
  const errors: FieldError[] = [];
  const ref = readString(errors, raw['ref'], F.ref, true);
  const title = readString(errors, raw['title'], F.title, false);
  const firstName = readString(errors, raw['firstName'], F.firstName, false);
  const lastName = readString(errors, raw['lastName'], F.lastName, true);
  const email = readEmail(errors, raw['email'], F.email);
  const phone = readPhone(errors, raw['phone'], F.phone);
  let dateOfBirth = readDate(errors, raw['dateOfBirth'], F.dateOfBirth, false);
  if (dateOfBirth !== null && dateOfBirth >= todayUtc()) {
    push(
      errors,
      F.dateOfBirth.field,
      'date_not_in_past',
      `${F.dateOfBirth.label} ${shown(F.dateOfBirth, dateOfBirth)} is not in the past.`,
    );
    dateOfBirth = null;
  }
  const niNumber = readIdentifier(errors, raw['niNumber'], F.niNumber, 'invalid_ni_number', parseNiNumber);
  const clients = readClientLinks(errors, raw['clients']);
  return { values: { ref, title, firstName, lastName, email, phone, dateOfBirth, niNumber, clients }, errors };
}

export function checkAddress(raw: unknown): Checked<AddressValues> {
  if (!isObject(raw)) {
    return {
      values: {
        ref: null,
        ownerType: null,
        ownerRef: null,
        kind: null,
        line1: null,
        line2: null,
        town: null,
        county: null,
        postcode: null,
        country: null,
        from: null,
        to: null,
      },
      errors: notAnObject(),
    };
  }
  const errors: FieldError[] = [];
  const ref = readString(errors, raw['ref'], F.ref, true);

  let ownerType: string | null = null;
  let ownerRef: string | null = null;
  const owner = raw['owner'];
  if (owner === undefined || owner === null) {
    push(errors, 'owner', 'required', 'Owner is required: the client or contact this address belongs to.');
  } else if (!isObject(owner)) {
    push(errors, 'owner', 'invalid_type', `Owner must be an object with a type and a ref, but ${describeJsonType(owner)} was sent.`);
  } else {
    ownerType = readEnum(errors, owner['type'], F.ownerType, true, OWNER_TYPE_LOOKUP);
    ownerRef = readString(errors, owner['ref'], F.ownerRef, true);
  }

  const kind = readEnum(errors, raw['kind'], F.kind, false, KIND_LOOKUP);
  const line1 = readString(errors, raw['line1'], F.line1, true);
  const line2 = readString(errors, raw['line2'], F.line2, false);
  const town = readString(errors, raw['town'], F.town, true);
  const county = readString(errors, raw['county'], F.county, false);

  // Country first: it decides how the postcode is checked. Absent → GB; invalid → null (postcode then only
  // length-checked, since its country is unknown).
  const countryErrors = errors.length;
  let country = readCountry(errors, raw['country'], F.country);
  if (country === null && errors.length === countryErrors) country = 'GB';

  let postcode = readString(errors, raw['postcode'], F.postcode, true);
  if (postcode !== null && country !== null) {
    const parsed = parsePostcode(postcode, country);
    if (!parsed.ok) push(errors, F.postcode.field, 'invalid_postcode', `${F.postcode.label} ${quote(postcode)} ${parsed.why}.`);
    postcode = parsed.ok ? parsed.value : null;
  }

  const from = readDate(errors, raw['from'], F.from, true);
  let to = readDate(errors, raw['to'], F.to, false);
  if (from !== null && to !== null && to < from) {
    push(errors, F.to.field, 'date_range', `The end date ${to} is before the start date ${from}.`);
    to = null;
  }

  return {
    values: { ref, ownerType, ownerRef, kind, line1, line2, town, county, postcode, country, from, to },
    errors,
  };
}

export const checkers: { [T in RecordType]: (raw: unknown) => Checked<ValuesByType[T]> } = {
  clients: checkClient,
  contacts: checkContact,
  addresses: checkAddress,
};
