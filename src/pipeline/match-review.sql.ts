// Review items (SPEC §9): after an import's records are committed, the central records it linked are compared
// with the practice's other central records; a pair that may be one record but was not joined automatically
// becomes one item for a practice user to merge or keep apart:
//   conflict        they share an identifier, but another one present on both sides contradicts it;
//   same_source     one source's two refs look like one record (a source's own duplicates never join);
//   possible_match  no contradiction and no shared source, but not joined either: the same folded name with
//                   the same email, phone or postcode, or an identifier shared with more than one candidate.
// The members of a VAT group (one VAT number, different company numbers) are different clients: no item.
// Set-based: one statement per rule over the import's links, joined on the match keys (migration 0030) that
// identify (at most KEY_HOLDERS_LIMIT holders, match.sql.ts). One item per pair ever (a unique index), so a retry, a re-send or a re-run of this step opens nothing twice.
// Run in the finalise step's transaction. Parameters: $1 import id, $2 practice id, $3 source.
import type { ImportScope } from '../domain/scope.ts';
import type { Queryable } from '../db/pool.ts';
import { CLIENT_IDENTIFIERS, columnKey, contradicting, identifyingKeys, keyHolders } from './match.sql.ts';

/** The central records of `type` this import linked, whole, as `mine`. */
const linkedBy = (type: 'clients' | 'contacts') => `
  mine AS (
    SELECT c.* FROM ${type} c WHERE c.id IN (
      SELECT r.central_id FROM source_records r
       WHERE r.practice_id = $2 AND r.source = $3 AND r.record_type = '${type}' AND r.import_id = $1)
  )`;

/** The CTE `<column>_keys` of the keys among `mine`'s values of that column that identify (identifyingKeys). */
const keysOfMine = (type: 'clients' | 'contacts', name: string) =>
  `${name}_keys AS (${identifyingKeys(type, columnKey(name), `SELECT ${name} FROM mine`, '$2')})`;

/** Do central records `c` and `o` both have a link of one source? */
const shareASource = `EXISTS (SELECT 1 FROM source_records r1 JOIN source_records r2 ON r2.central_id = o.id AND r2.source = r1.source
                                WHERE r1.central_id = c.id)`;

/** A side-by-side line of the evidence: both values and whether they are the same. */
const evidence = (field: string, a: string, b: string, same = `${a} = ${b}`) =>
  `jsonb_build_object('field', '${field}', 'values', jsonb_build_array(${a}, ${b}), 'same', coalesce(${same}, false))`;

const clientEvidence = `jsonb_build_array(
    ${evidence('name', 'c.name', 'o.name', 'c.name_folded = o.name_folded')},
    ${evidence('clientReference', 'c.client_reference', 'o.client_reference')},
    ${evidence('companyNumber', 'c.company_number', 'o.company_number')},
    ${evidence('utr', 'c.utr', 'o.utr')},
    ${evidence('vatNumber', 'c.vat_number', 'o.vat_number', 'c.vat_root = o.vat_root')},
    ${evidence('email', 'c.email', 'o.email', 'lower(c.email) = lower(o.email)')},
    ${evidence('phone', 'c.phone', 'o.phone')})`;

const contactEvidence = `jsonb_build_array(
    ${evidence('name', "concat_ws(' ', c.first_name, c.last_name)", "concat_ws(' ', o.first_name, o.last_name)", 'c.name_folded = o.name_folded')},
    ${evidence('email', 'c.email', 'o.email', 'lower(c.email) = lower(o.email)')},
    ${evidence('phone', 'c.phone', 'o.phone')},
    ${evidence('dateOfBirth', 'c.date_of_birth', 'o.date_of_birth')},
    ${evidence('niNumber', "CASE WHEN c.ni_number IS NOT NULL THEN '******' || right(c.ni_number, 3) END", "CASE WHEN o.ni_number IS NOT NULL THEN '******' || right(o.ni_number, 3) END", 'c.ni_number = o.ni_number')})`;

/**
 * Opens one item per pair of `candidates` (a, b); the kind and evidence come from `c` and `o`, the older and the
 * newer of the two (the evidence's values are in the order of `records`; the kind's rules are symmetric).
 */
const openItems = (type: 'clients' | 'contacts', table: string, kind: string, evidenceSql: string, where = 'true') => `
  , judged AS (
    SELECT DISTINCT ON (least(p.a, p.b), greatest(p.a, p.b))
           ARRAY[least(p.a, p.b), greatest(p.a, p.b)] AS records, ${kind} AS kind, ${evidenceSql} AS evidence
      FROM candidates p JOIN ${table} c ON c.id = least(p.a, p.b) JOIN ${table} o ON o.id = greatest(p.a, p.b)
     WHERE ${where}
     ORDER BY least(p.a, p.b), greatest(p.a, p.b)
  )
  INSERT INTO match_reviews (practice_id, kind, record_type, records, evidence, import_id)
  SELECT $2, kind, '${type}', records, evidence, $1 FROM judged WHERE kind IS NOT NULL
  ON CONFLICT DO NOTHING`;

const contradicts = contradicting.clients('c', 'o');
/** Only the VAT root is shared and the company numbers differ: the members of a VAT group. */
const vatGroup = `coalesce(c.company_number <> o.company_number, false) AND NOT coalesce(c.utr = o.utr, false)`;

const clientsSharingIdentifier = `
  WITH ${linkedBy('clients')}, ${CLIENT_IDENTIFIERS.map((key) => keysOfMine('clients', key)).join(', ')}, candidates AS (
    ${CLIENT_IDENTIFIERS.map(
      (key) =>
        `SELECT c.id AS a, h.id AS b FROM mine c ${keyHolders('clients', columnKey(key), `c.${key}`, `${key}_keys`, '$2')} WHERE h.id <> c.id`,
    ).join('\n    UNION\n    ')}
  )${openItems(
    'clients',
    'clients',
    `CASE WHEN ${contradicts} AND NOT (${vatGroup}) THEN 'conflict'
          WHEN ${contradicts} THEN NULL
          WHEN ${shareASource} THEN 'same_source'
          ELSE 'possible_match' END`,
    clientEvidence,
  )}`;

/** A name alone never joins; with the same email, phone or an address postcode it is worth a look. */
const clientsSharingNameAndContact = `
  WITH ${linkedBy('clients')}, ${keysOfMine('clients', 'name_folded')}, candidates AS (
    SELECT c.id AS a, o.id AS b FROM mine c
      ${keyHolders('clients', columnKey('name_folded'), 'c.name_folded', 'name_folded_keys', '$2', 'o')}
     WHERE o.id <> c.id AND (lower(o.email) = lower(c.email) OR o.phone = c.phone
        OR EXISTS (SELECT 1 FROM addresses x JOIN addresses y ON y.client_id = o.id AND y.postcode = x.postcode WHERE x.client_id = c.id))
  )${openItems(
    'clients',
    'clients',
    `CASE WHEN ${shareASource} THEN 'same_source' ELSE 'possible_match' END`,
    clientEvidence,
    // a pair that contradicts on an identifier is two clients with one name
    `NOT ${contradicts}`,
  )}`;

const contacts = `
  WITH ${linkedBy('contacts')}, ${keysOfMine('contacts', 'name_folded')}, candidates AS (
    SELECT c.id AS a, o.id AS b FROM mine c
      ${keyHolders('contacts', columnKey('name_folded'), 'c.name_folded', 'name_folded_keys', '$2', 'o')}
     WHERE o.id <> c.id AND (o.ni_number = c.ni_number OR o.date_of_birth = c.date_of_birth OR lower(o.email) = lower(c.email) OR o.phone = c.phone)
  )${openItems(
    'contacts',
    'contacts',
    `CASE WHEN ${contradicting.contacts('c', 'o')} THEN 'conflict'
          WHEN ${shareASource} THEN 'same_source'
          ELSE 'possible_match' END`,
    contactEvidence,
  )}`;

export async function openReviewItems(tx: Queryable, scope: ImportScope): Promise<void> {
  const params = [scope.importId, scope.practiceId, scope.source];
  // Nested loops allowed: a small import's keys are looked up in the indexes (identifyingKeys), a large one's hashed.
  await tx.query('SET LOCAL enable_nestloop = on');
  for (const statement of [clientsSharingIdentifier, clientsSharingNameAndContact, contacts]) await tx.query(statement, params);
}
