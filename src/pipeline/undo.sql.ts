// The set-based steps of an undo (SPEC §10; ordered by undo-import.ts). The plan is one transaction: the central
// records to remove go into undo_records, the review items and merge redirects about them go, the roles their
// contacts gave to contacts that stay go, and the source links of the imports undone together are deleted — which
// releases their keys, so the same export sent again is imported again, and leaves the records other sources link with only those sources' links, their data as it
// was. Then the planned records are removed in chunks, addresses first, then contacts with their roles, then
// clients, each chunk consumed from the plan in the transaction that removes its records.
import type { RecordType } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';
import { hashJoinsOnly, JUDGED } from '../imports/undo.sql.ts';

export interface UndoState {
  practice_id: string;
  status: string;
  /** Only the import an undo was asked for has a job; a retry undone with it names that import here. */
  undo_with: string | null;
  /** null until the plan is made. */
  undo_total: number | null;
}

export async function selectUndoState(db: Queryable, importId: string): Promise<UndoState | null> {
  const { rows } = await db.query<UndoState>('SELECT practice_id, status, undo_with, undo_total FROM imports WHERE id = $1', [importId]);
  return rows[0] ?? null;
}

/**
 * Plans the undo of `$3` (with the imports undone together, $1) and releases their source keys; answers how many
 * central records it will remove. Review items that name a record it removes are deleted (a decision about a
 * record that is gone means nothing, and the same export sent again opens its items again, about its new records);
 * so are the redirects of records merged into one it removes.
 * Parameters: $1 imports undone together (uuid[]), $2 practice id, $3 the import the undo was asked for.
 */
export async function planUndo(tx: Queryable, importIds: string[], practiceId: string, importId: string): Promise<number> {
  await hashJoinsOnly(tx);
  const { rows } = await tx.query<{ planned: number }>(
    `WITH ${JUDGED}, planned AS (
       INSERT INTO undo_records (practice_id, import_id, record_type, central_id)
       SELECT $2, $3, record_type, central_id FROM removed
       ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::int AS planned FROM planned`,
    [importIds, practiceId, importId],
  );
  await tx.query(
    `DELETE FROM match_reviews m
      WHERE m.practice_id = $1 AND EXISTS (SELECT 1 FROM undo_records u WHERE u.import_id = $2 AND u.central_id = ANY(m.records))`,
    [practiceId, importId],
  );
  await tx.query(
    `DELETE FROM merged_records m
      WHERE m.practice_id = $1 AND EXISTS (SELECT 1 FROM undo_records u WHERE u.import_id = $2 AND u.central_id = m.merged_into)`,
    [practiceId, importId],
  );
  // The roles these imports' contacts gave to a contact that stays (another source links it) go now, while their
  // source records still name them; a role another source gave too stays as that source's. The roles of a contact
  // the plan removes go with it.
  await tx.query(
    `DELETE FROM client_contacts cc USING source_records r
      WHERE r.practice_id = $1 AND r.import_id = ANY($2::uuid[]) AND r.record_type = 'contacts'
        AND cc.contact_id = r.central_id AND cc.source = r.source AND cc.contact_ref = r.ref
        AND NOT EXISTS (SELECT 1 FROM undo_records u WHERE u.import_id = $3 AND u.central_id = r.central_id)`,
    [practiceId, importIds, importId],
  );
  await tx.query('DELETE FROM source_records WHERE practice_id = $1 AND import_id = ANY($2::uuid[])', [practiceId, importIds]);
  return rows[0]!.planned;
}

const CENTRAL_TABLES: Record<RecordType, string> = { clients: 'clients', contacts: 'contacts', addresses: 'addresses' };

/**
 * What else names a removed record and goes with it, in the same statement (no foreign key cascades since 0068):
 * a removed contact's roles, at clients that stay too. Nothing else can be left: a removed record's addresses are
 * in the plan and go first; a role at a removed client that another import's contact holds, or an address the
 * undone imports did not bring, refuses the undo (selectDependants); the roles its contacts gave to a contact that
 * stays went with the plan; and while the undo holds the practice lock no import commits and no merge runs.
 */
const DEPENDANTS: Record<RecordType, string> = {
  addresses: '',
  contacts: ', roles AS (DELETE FROM client_contacts cc USING removed x WHERE cc.contact_id = x.id)',
  clients: '',
};

/** The order of removal: what depends on a record goes before it (an address before its owner, a contact before its clients). */
export const REMOVAL_ORDER: readonly RecordType[] = ['addresses', 'contacts', 'clients'];

/**
 * Removes up to `limit` planned records of `type` and takes them off the plan; answers how many it took (0: none
 * of the type are left). A record that gained a link since the plan (another source joined it while the undo
 * was interrupted and its practice lock free) is not removed: it now belongs to that source.
 */
export async function removePlanned(tx: Queryable, importId: string, type: RecordType, limit: number): Promise<number> {
  const { rows } = await tx.query<{ taken: number }>(
    `WITH taken AS (
       DELETE FROM undo_records u
        WHERE u.import_id = $1 AND u.central_id IN (
              SELECT central_id FROM undo_records WHERE import_id = $1 AND record_type = $2 LIMIT $3)
       RETURNING u.central_id
     ), removed AS (
       DELETE FROM ${CENTRAL_TABLES[type]} t USING taken k
        WHERE t.id = k.central_id AND NOT EXISTS (SELECT 1 FROM source_records r WHERE r.central_id = t.id)
       RETURNING t.id
     )${DEPENDANTS[type]}
     SELECT count(*)::int AS taken FROM taken`,
    [importId, type, limit],
  );
  return rows[0]!.taken;
}
