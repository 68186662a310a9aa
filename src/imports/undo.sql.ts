// What an undo takes with it and what it would do (SPEC §10 "Undo"): the import's family (its retries, and theirs),
// and, over the source links of the imports undone together, the central records it removes (no link of any
// other import holds them), those it keeps (another link does: only these imports' links go) and the records of
// other imports that depend on what it removes (which refuse the undo). Set-based: one statement over all the
// links of the imports, by index (source_records_import, source_records_central), never a query per record.
// Parameters of the judging statements: $1 the imports undone together (uuid[]), $2 practice id.
import type { Queryable } from '../db/pool.ts';
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import type { ImportStatus } from '../domain/import-lifecycle.ts';

/**
 * The central records the imports link (`mine`), each judged kept or not (`judged`), and those it removes
 * (`removed`). A CTE prefix. Two links of one source to one central record (after a merge) are one record.
 */
export const JUDGED = `
  mine AS MATERIALIZED (
    SELECT DISTINCT r.record_type, r.central_id FROM source_records r WHERE r.practice_id = $2 AND r.import_id = ANY($1::uuid[])
  ), judged AS MATERIALIZED (
    SELECT m.record_type, m.central_id,
           EXISTS (SELECT 1 FROM source_records o
                    WHERE o.practice_id = $2 AND o.central_id = m.central_id AND o.import_id <> ALL($1::uuid[])) AS kept
      FROM mine m
  ), removed AS MATERIALIZED (SELECT record_type, central_id FROM judged WHERE NOT kept)`;

/**
 * Records of other imports that depend on what would be removed: contacts that no import of the family links
 * yet that have a role at a removed client (a later import's contact), and addresses the family did not bring
 * owned by a removed client or contact. A contact the family linked and another source shares keeps only its
 * other roles: the roles at a removed client came with the family (links resolve within one source).
 */
const DEPENDANTS = `
  SELECT (SELECT count(DISTINCT cc.contact_id)::int FROM removed x JOIN client_contacts cc ON cc.client_id = x.central_id
           WHERE x.record_type = 'clients' AND NOT EXISTS (SELECT 1 FROM mine m WHERE m.central_id = cc.contact_id)) AS contacts,
         (SELECT count(*)::int FROM (
            SELECT a.id FROM removed x JOIN addresses a ON a.client_id = x.central_id WHERE x.record_type = 'clients'
            UNION ALL
            SELECT a.id FROM removed x JOIN addresses a ON a.contact_id = x.central_id WHERE x.record_type = 'contacts') a
           WHERE NOT EXISTS (SELECT 1 FROM mine m WHERE m.central_id = a.id)) AS addresses`;

/**
 * For the rest of the caller's transaction, hash joins only: right after a large import the statistics lag and
 * the planner takes nested loops that rescan a table per row of these sets (measured: 38 s instead of 0.3 s for the
 * dependants of a 20,000-record import). Every statement here is linear with hash joins.
 */
export async function hashJoinsOnly(tx: Queryable): Promise<void> {
  await tx.query('SET LOCAL enable_nestloop = off');
}

export interface Dependants {
  contacts: number;
  addresses: number;
}

export const hasDependants = (d: Dependants): boolean => d.contacts > 0 || d.addresses > 0;

export async function selectDependants(db: Queryable, importIds: string[], practiceId: string): Promise<Dependants> {
  await hashJoinsOnly(db);
  const { rows } = await db.query<Dependants>(`WITH ${JUDGED} ${DEPENDANTS}`, [importIds, practiceId]);
  return rows[0]!;
}

/** How many examples of the removed records of each type the preview names. */
export const EXAMPLES = 5;

const examplesOf = (type: RecordType, name: string, table: string) => `
  (SELECT coalesce(jsonb_agg(e.name), '[]') FROM (
     SELECT ${name} AS name FROM removed x JOIN ${table} t ON t.id = x.central_id
      WHERE x.record_type = '${type}' ORDER BY 1 LIMIT ${EXAMPLES}) e)`;

export interface UndoJudgement {
  counts: Partial<Record<RecordType, { remove: number; keep: number }>>;
  dependants: Dependants;
  examples: Record<RecordType, string[]>;
}

/** The preview: per type how many records would be removed and kept, the dependants, and examples by name. In a transaction. */
export async function judgeUndo(db: Queryable, importIds: string[], practiceId: string): Promise<UndoJudgement> {
  await hashJoinsOnly(db);
  const { rows } = await db.query<{ counts: UndoJudgement['counts']; dependants: Dependants } & Record<RecordType, string[]>>(
    `WITH ${JUDGED}, dependants AS (${DEPENDANTS})
     SELECT (SELECT coalesce(jsonb_object_agg(record_type, jsonb_build_object('remove', remove, 'keep', keep)), '{}')
               FROM (SELECT record_type, count(*) FILTER (WHERE NOT kept)::int AS remove, count(*) FILTER (WHERE kept)::int AS keep
                       FROM judged GROUP BY record_type) g) AS counts,
            (SELECT to_jsonb(d) FROM dependants d) AS dependants,
            ${examplesOf('clients', 't.name', 'clients')} AS clients,
            ${examplesOf('contacts', "concat_ws(' ', t.first_name, t.last_name)", 'contacts')} AS contacts,
            ${examplesOf('addresses', "t.line1 || ', ' || t.postcode", 'addresses')} AS addresses`,
    [importIds, practiceId],
  );
  const row = rows[0]!;
  return {
    counts: row.counts,
    dependants: row.dependants,
    examples: Object.fromEntries(RECORD_TYPES.map((t) => [t, row[t]])) as Record<RecordType, string[]>,
  };
}

export interface FamilyMember {
  id: string;
  status: ImportStatus;
  dry_run: boolean;
}

/**
 * The import and its retries, and theirs (a retry of a completed retry), oldest first: the completed ones are
 * undone with it; an open one either waits for its source (it is cancelled) or is being processed (the undo waits).
 */
export async function selectFamily(db: Queryable, practiceId: string, importId: string): Promise<FamilyMember[]> {
  const { rows } = await db.query<FamilyMember>(
    `WITH RECURSIVE family AS (
       SELECT id, status, dry_run, created_at FROM imports WHERE id = $1 AND practice_id = $2
       UNION ALL
       SELECT i.id, i.status, i.dry_run, i.created_at FROM imports i JOIN family f ON i.retry_of = f.id AND f.status = 'completed'
     )
     SELECT id, status, dry_run FROM family ORDER BY created_at, id`,
    [importId, practiceId],
  );
  return rows;
}

/** Locks the rows of the family against a retry start, a completion or a cancel of any of them. */
export async function lockImports(db: Queryable, importIds: string[]): Promise<void> {
  await db.query('SELECT 1 FROM imports WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [importIds]);
}

/** The imports an undo takes together: the one asked for and the retries undone with it. */
export async function selectUndoneTogether(db: Queryable, importId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM imports WHERE id = $1 OR undo_with = $1 ORDER BY created_at, id', [
    importId,
  ]);
  return rows.map((r) => r.id);
}
