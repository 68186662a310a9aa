// Matching across sources (SPEC §9), decided for a whole type of the import at once, in a transaction of its own
// before any batch of the type commits: each pending record that joins an existing central record of another source
// gets a row in staged_matches with that record's id, how it was matched, and the values it sent that differ; the
// commit statement then links it instead of creating a copy (commit.sql.ts), and fillEmptyFields lets it fill what
// the central record lacks.
// Decided once, before any batch of the type, the matches cannot depend on which batch commits first: the batches
// commit two at a time (process-import.ts), and a resumed import keeps the matches decided before its crash
// (import_counts.matches_decided_at, set in the deciding transaction).
//
// One statement per type, joined on the normalised keys of the central tables (migration 0030) that identify
// (identifyingKeys): the transaction allows nested loops for these statements, so that a small import's keys are
// index lookups (the commit statement itself takes hash joins only). What cannot be joined automatically — an identifier that
// contradicts another, one source's two refs, a name with the same contact details — is left to review items
// (match-review.sql.ts). A record never joins a central record that already has a link of its own source, and of
// several records of the import that would join one central record, only the first (by batch and position) does:
// the second is one source's second ref of that record, a same_source review item after the commit.
// Parameters: $1 import id, $2 practice id, $3 source.
import type { RecordType } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';
import type { ImportScope } from '../domain/scope.ts';
import { STAGED_MATCHES, STAGING } from '../intake/staging-catalogue.ts';

const { clients, contacts, addresses } = STAGING;

/** The API name and column of each field whose differing value a joining source keeps as its own (SPEC §9 "Values"). */
export const KEPT_VALUES: { readonly [T in RecordType]: readonly (readonly [string, string])[] } = {
  clients: [
    ['clientReference', 'client_reference'],
    ['name', 'name'],
    ['clientType', 'client_type'],
    ['companyNumber', 'company_number'],
    ['vatNumber', 'vat_number'],
    ['utr', 'utr'],
    ['email', 'email'],
    ['phone', 'phone'],
    ['website', 'website'],
  ],
  contacts: [
    ['title', 'title'],
    ['firstName', 'first_name'],
    ['lastName', 'last_name'],
    ['email', 'email'],
    ['phone', 'phone'],
    ['dateOfBirth', 'date_of_birth'],
    ['niNumber', 'ni_number'],
  ],
  addresses: [
    ['line2', 'line2'],
    ['town', 'town'],
    ['county', 'county'],
    ['country', 'country'],
  ],
};

/** The fields of `s` that differ from the central record `c` where both have a value, as a JSON object or null. */
const differingValues = (type: RecordType) =>
  `nullif(jsonb_strip_nulls(jsonb_build_object(${KEPT_VALUES[type]
    .map(([api, column]) => `'${api}', CASE WHEN c.${column} IS NOT NULL AND s.${column} IS DISTINCT FROM c.${column} THEN s.${column} END`)
    .join(', ')})), '{}')`;

/**
 * Does an identifier present on both records `a` and `b` (aliases of rows with the central columns) differ? Then
 * they are never joined automatically: a client's company number, UTR or VAT root (a VAT group's members share
 * the root and differ in company number), a person's NI number or date of birth. The review items use the same.
 */
export const contradicting: { readonly [T in 'clients' | 'contacts']: (a: string, b: string) => string } = {
  clients: (a, b) =>
    `coalesce(${a}.company_number <> ${b}.company_number OR ${a}.utr <> ${b}.utr OR ${a}.vat_root <> ${b}.vat_root, false)`,
  contacts: (a, b) => `coalesce(${a}.ni_number <> ${b}.ni_number OR ${a}.date_of_birth <> ${b}.date_of_birth, false)`,
};

/**
 * A key held by more than this many central records of a practice is no identifier of one record — a VAT group,
 * a placeholder value a product fills in ("GB000000000"), a common name — and is not looked at: it is dropped
 * before any pair is made, so a key shared by thousands costs one count of its holders per statement (without the
 * bound, 3,000 clients with one VAT number made 9 million candidate pairs).
 */
export const KEY_HOLDERS_LIMIT = 5;

/** A match key of a central table, as an expression of a row alias; an index of the table serves it. */
export type MatchKey = (alias: string) => string;

/**
 * A CTE body: the values of `key` among `values` (a query of one column: the outer rows' keys) that at most
 * KEY_HOLDERS_LIMIT central records of the practice hold, as rows `(key)`. Counted once per statement, not per outer
 * row: for a small import the planner looks up each distinct key in the index, for a large one it reads the
 * practice's part of the index once and hashes (at 20,000 clients the review of contacts went 2.7 → 0.8 s, against
 * one bounded index lookup per outer row before; the transaction must allow nested loops for the small case).
 */
export const identifyingKeys = (table: string, key: MatchKey, values: string, practice: string) =>
  `SELECT ${key('k')} AS key FROM ${table} k WHERE k.practice_id = ${practice} AND ${key('k')} IN (${values})
    GROUP BY 1 HAVING count(*) <= ${KEY_HOLDERS_LIMIT}`;

/** The central records `as` of `table` that hold the outer row's `value` of `key`, when the CTE `keys` (identifyingKeys) has it. */
export const keyHolders = (table: string, key: MatchKey, value: string, keys: string, practice: string, as = 'h') =>
  `JOIN ${keys} ON ${keys}.key = ${value} JOIN ${table} ${as} ON ${as}.practice_id = ${practice} AND ${key(as)} = ${value}`;

/** Does central record `id` already have a link of this source? (Then this source's record never joins it.) */
const linkedFromSource = (id: string) => `EXISTS (SELECT 1 FROM source_records r WHERE r.central_id = ${id} AND r.source = $3)`;

/**
 * The type's records still to decide: pending, and only while none of the type's batches has committed (deciding
 * against the links its first batches made would differ). matchType's mark says so for a type it decided; this
 * also covers a type whose batches began to commit undecided: before migration 0070 (the decisions went with the
 * first batch), or while no other source had records yet and processing resumed after one had.
 */
const undecided = (type: RecordType) => `
  s.import_id = $1 AND s.outcome IS NULL
  AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.import_id = $1 AND b.record_type = '${type}' AND b.committed_at IS NOT NULL)`;

/**
 * Records the chosen match of each record in `decided` (batch_no, pos, id, how): one joinable candidate only, and
 * per central record the import's first record only. Inserted as rows of their own: an UPDATE of the staged rows
 * rewrote each matched one whole, raw record and index entries included (0069).
 */
const recordMatches = (type: RecordType) => `
  chosen AS (
    SELECT batch_no, pos, (array_agg(id))[1] AS id, (array_agg(how))[1] AS how FROM decided GROUP BY batch_no, pos HAVING count(*) = 1
  ), first_per_central AS (
    SELECT DISTINCT ON (id) batch_no, pos, id, how FROM chosen ORDER BY id, batch_no, pos
  )
  INSERT INTO ${STAGED_MATCHES.table} (import_id, record_type, batch_no, pos, match_id, matched_by, match_values)
  SELECT $1, '${type}', f.batch_no, f.pos, f.id, f.how, ${differingValues(type)}
    FROM first_per_central f JOIN ${STAGING[type].centralTable} c ON c.id = f.id
    JOIN ${STAGING[type].table} s ON s.import_id = $1 AND s.batch_no = f.batch_no AND s.pos = f.pos`;

/**
 * Clients join by a shared valid company number, UTR or VAT root, when no identifier present on both sides
 * contradicts (which also keeps the members of a VAT group — one VAT number, different company numbers — apart).
 */
/** The identifiers a client joins by (SPEC §9), as central columns. */
export const CLIENT_IDENTIFIERS = ['company_number', 'utr', 'vat_root'] as const;
/** A match key that is a column of the central table. */
export const columnKey =
  (name: string): MatchKey =>
  (alias) =>
    `${alias}.${name}`;

const matchClients = `
  WITH pending AS (
    SELECT s.batch_no, s.pos, s.company_number, s.utr, vat_root(s.vat_number) AS vat_root FROM ${clients.table} s
     WHERE ${undecided('clients')}
       AND (s.company_number IS NOT NULL OR s.utr IS NOT NULL OR s.vat_number IS NOT NULL)
  ), ${CLIENT_IDENTIFIERS.map((id) => `${id}_keys AS (${identifyingKeys('clients', columnKey(id), `SELECT ${id} FROM pending`, '$2')})`).join(', ')},
  shared AS (
    ${CLIENT_IDENTIFIERS.map(
      (id) => `SELECT p.batch_no, p.pos, h.id FROM pending p ${keyHolders('clients', columnKey(id), `p.${id}`, `${id}_keys`, '$2')}`,
    ).join('\n    UNION\n    ')}
  ), decided AS (
    SELECT sh.batch_no, sh.pos, sh.id,
           CASE WHEN p.company_number = c.company_number THEN 'company_number' WHEN p.utr = c.utr THEN 'utr' ELSE 'vat_number' END AS how
      FROM shared sh JOIN pending p ON p.batch_no = sh.batch_no AND p.pos = sh.pos JOIN clients c ON c.id = sh.id
     WHERE NOT ${contradicting.clients('p', 'c')}
       AND NOT ${linkedFromSource('c.id')}
  ), ${recordMatches('clients')}`;

/**
 * A person joins the central contact with the same folded name and the same NI number, date of birth, email or
 * phone, unless their NI numbers or dates of birth contradict. Candidates come by the name and by the email: a
 * common name is held by more than KEY_HOLDERS_LIMIT people of a practice and is then no key (bench:matching at
 * 10,000 clients: 4.3 % of the planted pairs had such a name), while the same person's email still finds them.
 */
/** A contact's email as its index holds it. */
const lowerEmail: MatchKey = (alias) => `lower(${alias}.email)`;

const matchContacts = `
  WITH pending AS (
    SELECT s.batch_no, s.pos, fold_name(coalesce(s.first_name || ' ', '') || s.last_name) AS name_folded,
           lower(s.email) AS email, s.phone, s.date_of_birth, s.ni_number
      FROM ${contacts.table} s
     WHERE ${undecided('contacts')}
  ), name_keys AS (${identifyingKeys('contacts', columnKey('name_folded'), 'SELECT name_folded FROM pending', '$2')}
  ), email_keys AS (${identifyingKeys('contacts', lowerEmail, 'SELECT email FROM pending', '$2')}
  ), candidates AS (
    SELECT p.batch_no, p.pos, h.id FROM pending p ${keyHolders('contacts', columnKey('name_folded'), 'p.name_folded', 'name_keys', '$2')}
    UNION
    SELECT p.batch_no, p.pos, h.id FROM pending p ${keyHolders('contacts', lowerEmail, 'p.email', 'email_keys', '$2')}
  ), decided AS (
    SELECT p.batch_no, p.pos, c.id,
           CASE WHEN p.ni_number = c.ni_number THEN 'name_and_ni_number'
                WHEN p.date_of_birth = c.date_of_birth THEN 'name_and_date_of_birth'
                WHEN p.email = lower(c.email) THEN 'name_and_email'
                WHEN p.phone = c.phone THEN 'name_and_phone' END AS how
      FROM candidates cd JOIN pending p ON p.batch_no = cd.batch_no AND p.pos = cd.pos JOIN contacts c ON c.id = cd.id
     WHERE c.name_folded = p.name_folded
       AND (p.ni_number = c.ni_number OR p.date_of_birth = c.date_of_birth OR p.email = lower(c.email) OR p.phone = c.phone)
       AND NOT ${contradicting.contacts('p', 'c')}
       AND NOT ${linkedFromSource('c.id')}
  ), ${recordMatches('contacts')}`;

/** An address history entry equal to one its central owner already has (kind, first line, postcode, dates) joins it. */
const equalEntry = (ownerColumn: 'client_id' | 'contact_id', ownerType: 'client' | 'contact') => `
    SELECT p.batch_no, p.pos, a.id, 'same_address' AS how
      FROM pending p JOIN addresses a ON a.${ownerColumn} = p.owner_id AND a.postcode = p.postcode
     WHERE p.owner_type = '${ownerType}' AND a.kind IS NOT DISTINCT FROM p.kind AND lower(a.line1) = lower(p.line1)
       AND a.valid_from = p.valid_from AND a.valid_to IS NOT DISTINCT FROM p.valid_to
       AND NOT ${linkedFromSource('a.id')}`;

const matchAddresses = `
  WITH pending AS (
    SELECT s.batch_no, s.pos, s.owner_type, o.central_id AS owner_id, s.kind, s.line1, s.postcode, s.valid_from, s.valid_to
      FROM ${addresses.table} s
      JOIN source_records o ON o.practice_id = $2 AND o.source = $3 AND o.record_type = s.owner_type || 's' AND o.ref = s.owner_ref
     WHERE ${undecided('addresses')}
  ), decided AS (${equalEntry('client_id', 'client')}
    UNION ALL${equalEntry('contact_id', 'contact')}
  ), ${recordMatches('addresses')}`;

const MATCH_SQL: Record<RecordType, string> = { clients: matchClients, contacts: matchContacts, addresses: matchAddresses };

/** Only the fields a joining record may fill on its central record: those still empty there. */
export const FILLABLE: { readonly [T in RecordType]: readonly string[] } = {
  clients: ['company_number', 'vat_number', 'utr', 'email', 'phone', 'website'],
  // (first and last name are what it matched on)
  contacts: ['title', 'email', 'phone', 'date_of_birth', 'ni_number'],
  addresses: ['line2', 'county'],
};

/**
 * After a batch's commit statement: its records that joined (and whose key this import claimed) fill empty fields.
 * Parameters: $1 import id, $2 batch number, $3 practice id, $4 source.
 */
const fillEmpty = (type: RecordType) => `
  UPDATE ${STAGING[type].centralTable} c SET ${FILLABLE[type].map((f) => `${f} = coalesce(c.${f}, s.${f})`).join(', ')}
    FROM ${STAGED_MATCHES.table} m
    JOIN ${STAGING[type].table} s ON s.import_id = $1 AND s.batch_no = $2 AND s.pos = m.pos AND s.outcome IS NULL
    JOIN source_records r ON r.practice_id = $3 AND r.source = $4 AND r.record_type = '${type}' AND r.ref = s.ref AND r.import_id = $1
   WHERE m.import_id = $1 AND m.record_type = '${type}' AND m.batch_no = $2 AND c.id = m.match_id
     AND (${FILLABLE[type].map((f) => `(c.${f} IS NULL AND s.${f} IS NOT NULL)`).join(' OR ')})`;

type BatchParams = [importId: string, batchNo: number, practiceId: string, source: string];

/**
 * Another source of the practice has records: without one there is nothing to join, and the batch's statements
 * are skipped (a practice's first product pays nothing for matching). Each half is one index range of the
 * source_records key, which stops at its first row.
 */
export async function otherSourcesExist(db: Queryable, practiceId: string, source: string): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM source_records WHERE practice_id = $1 AND source < $2)
         OR EXISTS (SELECT 1 FROM source_records WHERE practice_id = $1 AND source > $2) AS found`,
    [practiceId, source],
  );
  return rows[0]?.found ?? false;
}

/**
 * Decides the matches of the import's records of `type`, before any of its batches commits, and marks the type
 * decided in the same transaction: decisions and mark commit together or not at all, and once marked this is a
 * no-op (the decisions stand for every batch of the type, and for a resumed import). False when it was a no-op.
 */
export async function matchType(tx: Queryable, type: RecordType, scope: ImportScope): Promise<boolean> {
  const marked = await tx.query(
    'UPDATE import_counts SET matches_decided_at = now() WHERE import_id = $1 AND record_type = $2 AND matches_decided_at IS NULL',
    [scope.importId, type],
  );
  if (marked.rowCount === 0) return false;
  const params = [scope.importId, scope.practiceId, scope.source];
  await tx.query('SET LOCAL enable_nestloop = on');
  await tx.query(MATCH_SQL[type], params);
  return true;
}

/** Lets the batch's joined records fill their central records' empty fields (after the commit statement). */
export async function fillEmptyFields(tx: Queryable, type: RecordType, params: BatchParams): Promise<void> {
  await tx.query('SET LOCAL enable_nestloop = on');
  await tx.query(fillEmpty(type), params);
}
