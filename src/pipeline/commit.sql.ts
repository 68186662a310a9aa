// The commit phase: one batch's pending records into the central tables per statement, in dependency order
// (all client batches, then contacts with their roles, then addresses). Each record first claims its idempotency
// key in source_records (ON CONFLICT DO NOTHING): a key taken meanwhile by another import makes it skipped.
// The same statement marks the staged rows and adds to the counts, so a batch is committed exactly once.
//
// No join is CTE against CTE, and the transaction allows hash joins only (commitBatch): PostgreSQL cannot estimate
// CTE sizes or freshly loaded rows, and a nested loop that rescans the batch per row is quadratic (measured: 3.3 s
// instead of 40 ms for 6,000 addresses; 213 s instead of 0.7 s for 25,000 clients).
// Parameters: $1 import id, $2 batch number, $3 practice id, $4 source.
import type { RecordType } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';

/** The staged row a claimed key belongs to: the batch's pending row with that ref (duplicates failed earlier). */
const stagedOf = (table: string) => `JOIN ${table} s ON s.import_id = $1 AND s.ref = k.ref AND s.batch_no = $2 AND s.outcome IS NULL`;

/** Claims the keys of the batch's pending rows that `where` admits; returns the claimed (ref, central id). */
const claim = (type: RecordType, table: string, where = 'true') => `
  claimed AS (
    INSERT INTO source_records (practice_id, source, record_type, ref, central_id, import_id)
    SELECT $3, $4, '${type}', s.ref, time_ordered_uuid(), $1 FROM ${table} s
     WHERE s.import_id = $1 AND s.batch_no = $2 AND s.outcome IS NULL AND ${where}
    ON CONFLICT DO NOTHING
    RETURNING ref, central_id
  )`;

/**
 * Settles the batch: its claimed rows were imported; a pending row whose key was already taken (by a concurrent
 * import) is marked skipped. Imported rows are left as they are — `outcome IS NULL` in a committed batch means
 * imported — which saves rewriting every staged row (measured: about a fifth of a batch's commit). The counts go
 * up in the same statement; finalising checks that received = imported + failed + skipped for every type.
 */
const settle = (type: RecordType, table: string) => `
  marked AS (
    UPDATE ${table} s SET outcome = 'skipped'
     WHERE s.import_id = $1 AND s.batch_no = $2 AND s.outcome IS NULL
       AND s.ref NOT IN (SELECT ref FROM claimed)
       AND EXISTS (SELECT 1 FROM source_records r WHERE r.practice_id = $3 AND r.source = $4 AND r.record_type = '${type}' AND r.ref = s.ref)
    RETURNING 1
  ), counted AS (
    UPDATE import_counts SET imported = imported + (SELECT count(*) FROM claimed), skipped = skipped + (SELECT count(*) FROM marked)
     WHERE import_id = $1 AND record_type = '${type}'
  )
  UPDATE batches SET committed_at = now() WHERE import_id = $1 AND batch_no = $2`;

const commitClients = `
  WITH ${claim('clients', 'staged_clients')}, inserted AS (
    INSERT INTO clients (id, practice_id, client_reference, name, client_type, company_number, vat_number, utr, email, phone, website)
    SELECT k.central_id, $3, s.client_reference, s.name, s.client_type, s.company_number, s.vat_number, s.utr, s.email, s.phone, s.website
      FROM claimed k ${stagedOf('staged_clients')}
  ), ${settle('clients', 'staged_clients')}`;

const commitContacts = `
  WITH ${claim('contacts', 'staged_contacts')}, inserted AS (
    INSERT INTO contacts (id, practice_id, title, first_name, last_name, email, phone, date_of_birth)
    SELECT k.central_id, $3, s.title, s.first_name, s.last_name, s.email, s.phone, s.date_of_birth
      FROM claimed k ${stagedOf('staged_contacts')}
  ), roles AS (
    -- The linked clients were committed by earlier batches (or imports): their central ids come from the key table.
    INSERT INTO client_contacts (practice_id, client_id, contact_id, role)
    SELECT DISTINCT $3::uuid, r.central_id, k.central_id, l.role
      FROM claimed k ${stagedOf('staged_contacts')}
      JOIN staged_contact_links l ON l.import_id = $1 AND l.batch_no = $2 AND l.pos = s.pos
      JOIN source_records r ON r.practice_id = $3 AND r.source = $4 AND r.record_type = 'clients' AND r.ref = l.client_ref
    ON CONFLICT DO NOTHING
  ), ${settle('contacts', 'staged_contacts')}`;

const ownerOf = (alias: string) => `
  source_records o ON o.practice_id = $3 AND o.source = $4 AND o.record_type = ${alias}.owner_type || 's' AND o.ref = ${alias}.owner_ref`;

const commitAddresses = `
  WITH ${claim('addresses', 'staged_addresses', `EXISTS (SELECT 1 FROM ${ownerOf('s').replace(' ON ', ' WHERE ')})`)}, inserted AS (
    INSERT INTO addresses (id, practice_id, client_id, contact_id, kind, line1, line2, town, county, postcode, country, valid_from, valid_to)
    SELECT k.central_id, $3,
           CASE WHEN s.owner_type = 'client' THEN o.central_id END, CASE WHEN s.owner_type = 'contact' THEN o.central_id END,
           s.kind, s.line1, s.line2, s.town, s.county, s.postcode, s.country, s.valid_from, s.valid_to
      FROM claimed k ${stagedOf('staged_addresses')} JOIN ${ownerOf('s')}
  ), ${settle('addresses', 'staged_addresses')}`;

export const COMMIT_SQL: Record<RecordType, string> = { clients: commitClients, contacts: commitContacts, addresses: commitAddresses };

export interface PendingBatch {
  batch_no: number;
  record_type: RecordType;
}

/** Batches not yet committed, in commit order: clients, contacts, addresses, each by batch number. */
export async function pendingBatches(db: Queryable, importId: string): Promise<PendingBatch[]> {
  const { rows } = await db.query<PendingBatch>(
    `SELECT batch_no, record_type FROM batches WHERE import_id = $1 AND committed_at IS NULL
      ORDER BY array_position(ARRAY['clients', 'contacts', 'addresses'], record_type), batch_no`,
    [importId],
  );
  return rows;
}

export async function commitBatch(
  tx: Queryable,
  batch: PendingBatch,
  scope: { importId: string; practiceId: string; source: string },
): Promise<void> {
  // Hash joins only: with statistics that lag a large import, the planner can take a nested loop that rescans the
  // batch for every row (measured: 213 s instead of 0.7 s for a 25,000-client batch). A hash join is linear always.
  await tx.query('SET LOCAL enable_nestloop = off');
  await tx.query(COMMIT_SQL[batch.record_type], [scope.importId, batch.batch_no, scope.practiceId, scope.source]);
  await tx.query(
    `UPDATE imports SET heartbeat_at = now(), progress = 0.1 + 0.85 * (
        SELECT coalesce(sum(record_count) FILTER (WHERE committed_at IS NOT NULL), 0)::real / greatest(sum(record_count), 1)
          FROM batches WHERE import_id = $1)
      WHERE id = $1`,
    [scope.importId],
  );
}
