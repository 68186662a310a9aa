// The commit phase: one batch's pending records into the central tables per statement, in dependency order
// (all client batches, then contacts with their roles, then addresses). Each record first claims its idempotency
// key in source_records (ON CONFLICT DO NOTHING): a key taken meanwhile by another import makes it skipped.
// The same statement marks the staged rows and adds to the counts, so a batch is committed exactly once.
// Parameters: $1 import id, $2 batch number, $3 practice id, $4 source.
import type { RecordType } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';

/** Marks the batch's pending rows imported or skipped and counts them; `claimed` holds the imported ones. */
const settle = (type: RecordType, table: string) => `
  marked AS (
    UPDATE ${table} s SET outcome = CASE WHEN k.central_id IS NULL THEN 'skipped' ELSE 'imported' END
      FROM pending p LEFT JOIN claimed k USING (central_id)
     WHERE s.import_id = $1 AND s.batch_no = $2 AND s.pos = p.pos
    RETURNING s.outcome
  ), counted AS (
    UPDATE import_counts SET imported = imported + (SELECT count(*) FROM marked WHERE outcome = 'imported'),
                             skipped = skipped + (SELECT count(*) FROM marked WHERE outcome = 'skipped')
     WHERE import_id = $1 AND record_type = '${type}'
  )
  UPDATE batches SET committed_at = now() WHERE import_id = $1 AND batch_no = $2`;

const claim = (type: RecordType) => `
  claimed AS (
    INSERT INTO source_records (practice_id, source, record_type, ref, central_id, import_id)
    SELECT $3, $4, '${type}', ref, central_id, $1 FROM pending
    ON CONFLICT DO NOTHING
    RETURNING central_id
  )`;

const commitClients = `
  WITH pending AS MATERIALIZED (
    SELECT *, gen_random_uuid() AS central_id FROM staged_clients
     WHERE import_id = $1 AND batch_no = $2 AND outcome IS NULL
  ), ${claim('clients')}, inserted AS (
    INSERT INTO clients (id, practice_id, client_reference, name, client_type, company_number, vat_number, utr, email, phone, website)
    SELECT p.central_id, $3, p.client_reference, p.name, p.client_type, p.company_number, p.vat_number, p.utr, p.email, p.phone, p.website
      FROM pending p JOIN claimed USING (central_id)
  ), ${settle('clients', 'staged_clients')}`;

const commitContacts = `
  WITH pending AS MATERIALIZED (
    SELECT *, gen_random_uuid() AS central_id FROM staged_contacts
     WHERE import_id = $1 AND batch_no = $2 AND outcome IS NULL
  ), ${claim('contacts')}, inserted AS (
    INSERT INTO contacts (id, practice_id, title, first_name, last_name, email, phone, date_of_birth)
    SELECT p.central_id, $3, p.title, p.first_name, p.last_name, p.email, p.phone, p.date_of_birth
      FROM pending p JOIN claimed USING (central_id)
  ), roles AS (
    -- The linked clients were committed by earlier batches (or imports): their central ids come from the key table.
    INSERT INTO client_contacts (practice_id, client_id, contact_id, role)
    SELECT DISTINCT $3::uuid, r.central_id, p.central_id, l.role
      FROM pending p JOIN claimed USING (central_id)
      JOIN staged_contact_links l ON l.import_id = $1 AND l.batch_no = $2 AND l.pos = p.pos
      JOIN source_records r ON r.practice_id = $3 AND r.source = $4 AND r.record_type = 'clients' AND r.ref = l.client_ref
    ON CONFLICT DO NOTHING
  ), ${settle('contacts', 'staged_contacts')}`;

const commitAddresses = `
  WITH pending AS MATERIALIZED (
    SELECT a.*, gen_random_uuid() AS central_id, r.central_id AS owner_id FROM staged_addresses a
      JOIN source_records r ON r.practice_id = $3 AND r.source = $4 AND r.record_type = a.owner_type || 's' AND r.ref = a.owner_ref
     WHERE a.import_id = $1 AND a.batch_no = $2 AND a.outcome IS NULL
  ), ${claim('addresses')}, inserted AS (
    INSERT INTO addresses (id, practice_id, client_id, contact_id, kind, line1, line2, town, county, postcode, country, valid_from, valid_to)
    SELECT p.central_id, $3,
           CASE WHEN p.owner_type = 'client' THEN p.owner_id END, CASE WHEN p.owner_type = 'contact' THEN p.owner_id END,
           p.kind, p.line1, p.line2, p.town, p.county, p.postcode, p.country, p.valid_from, p.valid_to
      FROM pending p JOIN claimed USING (central_id)
  ), ${settle('addresses', 'staged_addresses')}`;

const COMMIT: Record<RecordType, string> = { clients: commitClients, contacts: commitContacts, addresses: commitAddresses };

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

export async function commitBatch(tx: Queryable, batch: PendingBatch, scope: { importId: string; practiceId: string; source: string }): Promise<void> {
  await tx.query(COMMIT[batch.record_type], [scope.importId, batch.batch_no, scope.practiceId, scope.source]);
  await tx.query(
    `UPDATE imports SET heartbeat_at = now(), progress = 0.1 + 0.85 * (
        SELECT coalesce(sum(record_count) FILTER (WHERE committed_at IS NOT NULL), 0)::real / greatest(sum(record_count), 1)
          FROM batches WHERE import_id = $1)
      WHERE id = $1`,
    [scope.importId],
  );
}
