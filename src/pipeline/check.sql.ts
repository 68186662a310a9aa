// The check phase: every decision that makes a staged record skipped or failed, as set-based statements over the
// whole import. Run together in one transaction with the move to `committing` (pipeline/process-import.ts), so a
// crash re-runs them from scratch.
// Parameters: $1 import id; the statements marked scoped also $2 practice id and $3 source.
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';
import type { ImportScope } from '../domain/scope.ts';
import { CONTACT_LINKS, STAGING } from '../intake/staging-catalogue.ts';

const { clients, contacts, addresses } = STAGING;
const table = (type: RecordType) => STAGING[type].table;

/** A statement, and whether it needs the practice and source ($2, $3) besides the import ($1). */
interface Statement {
  text: string;
  scoped: boolean;
}
const onImport = (text: string): Statement => ({ text, scoped: false });
const onScope = (text: string): Statement => ({ text, scoped: true });

/** Already imported earlier (same practice, source, type, ref): skipped, never written twice, never failed. */
const skipImported = (type: RecordType) => `
  UPDATE ${table(type)} s SET outcome = 'skipped'
   WHERE s.import_id = $1 AND s.outcome IS NULL AND s.ref IS NOT NULL
     AND EXISTS (SELECT 1 FROM source_records r
                  WHERE r.practice_id = $2 AND r.source = $3 AND r.record_type = '${type}' AND r.ref = s.ref)`;

/** In a retry, records outside `requested` are skipped. */
const skipNotRequested = (type: RecordType) => `
  UPDATE ${table(type)} s SET outcome = 'skipped'
    FROM imports i
   WHERE i.id = $1 AND i.requested IS NOT NULL
     AND s.import_id = $1 AND s.outcome IS NULL AND s.ref IS NOT NULL
     AND NOT (i.requested -> '${type}' ? s.ref)`;

/** A skipped record is not failing, whatever was wrong with it at receipt. */
const dropErrorsOfSkipped = (type: RecordType) => `
  DELETE FROM record_errors e USING ${table(type)} s
   WHERE e.import_id = $1 AND e.record_type = '${type}'
     AND s.import_id = $1 AND s.batch_no = e.batch_no AND s.pos = e.pos AND s.outcome = 'skipped'`;

const failInvalid = (type: RecordType) => `
  UPDATE ${table(type)} SET outcome = 'failed'
   WHERE import_id = $1 AND outcome IS NULL AND NOT valid`;

/** The same ref twice in one import and type: the first (lowest batch, then position) is kept, the others fail. */
const failDuplicates = (type: RecordType) => `
  WITH repeated AS (
    SELECT ref FROM ${table(type)}
     WHERE import_id = $1 AND ref IS NOT NULL AND outcome IS DISTINCT FROM 'skipped'
     GROUP BY ref HAVING count(*) > 1
  ), ranked AS (
    SELECT s.batch_no, s.pos, s.ref, s.record_name,
           ${type === 'clients' ? 's.client_reference' : 'NULL::text'} AS client_reference,
           row_number() OVER w AS rank, first_value(s.batch_no) OVER w AS first_batch, first_value(s.pos) OVER w AS first_pos
      FROM ${table(type)} s JOIN repeated USING (ref)
     WHERE s.import_id = $1 AND s.outcome IS DISTINCT FROM 'skipped'
    WINDOW w AS (PARTITION BY s.ref ORDER BY s.batch_no, s.pos)
  ), later AS (
    SELECT * FROM ranked WHERE rank > 1
  ), errors AS (
    INSERT INTO record_errors (import_id, record_type, batch_no, pos, field, code, ref, record_name, client_reference, reason)
    SELECT $1, '${type}', batch_no, pos, 'ref', 'duplicate_ref', ref, record_name, client_reference,
           format('Duplicate ref ''%s'': the same ref is earlier in this import (batch %s, record %s), which is the one kept.',
                  ref, first_batch, first_pos)
      FROM later
    ON CONFLICT DO NOTHING
  )
  UPDATE ${table(type)} s SET outcome = 'failed'
    FROM later l
   WHERE s.import_id = $1 AND s.batch_no = l.batch_no AND s.pos = l.pos`;

/**
 * A parent (a contact's client, an address's owner) resolves to the kept copy of its ref in this import, or to a
 * record already imported from the same source. Kept copy failed → the child fails naming the parent; kept copy
 * absent (or skipped without ever having been imported) and nothing imported → the child fails as not found.
 */
const parentVerdict = `
  CASE
    WHEN p.outcome = 'failed' THEN 'parent_failed'
    WHEN (p.found IS NULL OR p.outcome = 'skipped') AND NOT EXISTS (
      SELECT 1 FROM source_records r
       WHERE r.practice_id = $2 AND r.source = $3 AND r.record_type = l.parent_type AND r.ref = l.parent_ref)
    THEN 'parent_not_found'
  END`;

const keptClients = `
  SELECT DISTINCT ON (ref) ref, outcome, true AS found,
         format('Parent client %s (%s) failed to import.', ref, coalesce(client_reference, 'no client reference')) AS failed_reason
    FROM ${clients.table} WHERE import_id = $1 AND ref IS NOT NULL ORDER BY ref, batch_no, pos`;

const keptContacts = `
  SELECT DISTINCT ON (ref) ref, outcome, true AS found,
         format('Parent contact %s (%s) failed to import.', ref, coalesce(record_name, 'no name')) AS failed_reason
    FROM ${contacts.table} WHERE import_id = $1 AND ref IS NOT NULL ORDER BY ref, batch_no, pos`;

/** Contacts whose linked clients failed or do not exist fail too: one error row per bad link. */
const failContactsByLinks = `
  WITH kept AS (${keptClients}),
  links AS (
    SELECT l.batch_no, l.pos, l.idx, l.client_ref AS parent_ref, 'clients'::text AS parent_type, c.ref, c.record_name
      FROM ${CONTACT_LINKS.table} l
      JOIN ${contacts.table} c ON c.import_id = l.import_id AND c.batch_no = l.batch_no AND c.pos = l.pos
     WHERE l.import_id = $1 AND l.client_ref IS NOT NULL AND c.outcome IS DISTINCT FROM 'skipped'
  ), bad AS (
    SELECT l.*, p.failed_reason, ${parentVerdict} AS verdict
      FROM links l LEFT JOIN kept p ON p.ref = l.parent_ref
  ), errors AS (
    INSERT INTO record_errors (import_id, record_type, batch_no, pos, field, code, ref, record_name, reason)
    SELECT $1, 'contacts', batch_no, pos, format('clients[%s].ref', idx), verdict, ref, record_name,
           CASE verdict WHEN 'parent_failed' THEN failed_reason
                ELSE format('Client ''%s'' was not found: it is neither in this import nor already imported from %s.', parent_ref, $3) END
      FROM bad WHERE verdict IS NOT NULL
    ON CONFLICT DO NOTHING
  )
  UPDATE ${contacts.table} s SET outcome = 'failed'
    FROM (SELECT DISTINCT batch_no, pos FROM bad WHERE verdict IS NOT NULL) b
   WHERE s.import_id = $1 AND s.batch_no = b.batch_no AND s.pos = b.pos`;

/** Addresses whose owner (a client or a contact) failed or does not exist fail too. Runs after the contacts. */
const failAddressesByOwner = `
  WITH kept AS (
    SELECT 'client' AS owner_type, * FROM (${keptClients}) kc
    UNION ALL
    SELECT 'contact' AS owner_type, * FROM (${keptContacts}) kp
  ), links AS (
    SELECT a.batch_no, a.pos, a.owner_type, a.owner_ref AS parent_ref, a.owner_type || 's' AS parent_type, a.ref, a.record_name
      FROM ${addresses.table} a
     WHERE a.import_id = $1 AND a.owner_ref IS NOT NULL AND a.owner_type IS NOT NULL AND a.outcome IS DISTINCT FROM 'skipped'
  ), bad AS (
    SELECT l.*, p.failed_reason, ${parentVerdict} AS verdict
      FROM links l LEFT JOIN kept p ON p.owner_type = l.owner_type AND p.ref = l.parent_ref
  ), errors AS (
    INSERT INTO record_errors (import_id, record_type, batch_no, pos, field, code, ref, record_name, reason)
    SELECT $1, 'addresses', batch_no, pos, 'owner.ref', verdict, ref, record_name,
           CASE verdict WHEN 'parent_failed' THEN failed_reason
                ELSE format('Owner %s ''%s'' was not found: it is neither in this import nor already imported from %s.', owner_type, parent_ref, $3) END
      FROM bad WHERE verdict IS NOT NULL
    ON CONFLICT DO NOTHING
  )
  UPDATE ${addresses.table} s SET outcome = 'failed'
    FROM bad b
   WHERE b.verdict IS NOT NULL AND s.import_id = $1 AND s.batch_no = b.batch_no AND s.pos = b.pos`;

/** Failed and skipped are final after the check (the commit may still turn a pending record into skipped). */
const countChecked = `
  WITH tallies AS (
    ${RECORD_TYPES.map(
      (
        t,
      ) => `SELECT '${t}' AS t, count(*) FILTER (WHERE outcome = 'failed') AS failed, count(*) FILTER (WHERE outcome = 'skipped') AS skipped
      FROM ${table(t)} WHERE import_id = $1`,
    ).join('\n    UNION ALL\n    ')}
  ), counted AS (
    UPDATE import_counts c SET failed = t.failed, skipped = t.skipped, imported = 0
      FROM tallies t WHERE c.import_id = $1 AND c.record_type = t.t
  )
  UPDATE imports SET failed_total = (SELECT sum(failed) FROM tallies) WHERE id = $1`;

/** In order: skip, fail invalid and duplicates, then links and owners (the fixed dependency order is the fixpoint). */
const CHECK_STATEMENTS: readonly Statement[] = [
  ...RECORD_TYPES.flatMap((t) => [
    onScope(skipImported(t)),
    onImport(skipNotRequested(t)),
    onImport(dropErrorsOfSkipped(t)),
    onImport(failInvalid(t)),
    onImport(failDuplicates(t)),
  ]),
  onScope(failContactsByLinks),
  onScope(failAddressesByOwner),
  onImport(countChecked),
];

export async function runCheck(tx: Queryable, { importId, practiceId, source }: ImportScope): Promise<void> {
  for (const { text, scoped } of CHECK_STATEMENTS) await tx.query(text, scoped ? [importId, practiceId, source] : [importId]);
}
