// Error rows in file order, read in pages by keyset so a million failures are streamed, never held in memory.
// Root causes come first (SPEC §6), then knock-on failures; within each: clients, contacts, addresses; then the
// import (for the open failures), batch, position, field and code — the row's primary key, so the order is total.
import type { Scope } from '../domain/scope.ts';
import type { Queryable } from '../db/pool.ts';
import { RECORD_TYPES, type ErrorCode, type RecordType } from '../contract/records.ts';

export interface ErrorRow {
  knock_on: boolean;
  type_order: number;
  /** The import's creation time in microseconds: the list of open failures goes from older imports to newer. */
  import_order: number;
  import_id: string;
  source: string;
  record_type: RecordType;
  batch_no: number;
  pos: number;
  field: string;
  code: ErrorCode;
  ref: string | null;
  record_name: string | null;
  client_reference: string | null;
  reason: string;
  caused_by: string | null;
  still_failing: boolean;
}

export type ErrorRowKey = Pick<ErrorRow, 'knock_on' | 'type_order' | 'import_order' | 'import_id' | 'batch_no' | 'pos' | 'field' | 'code'>;

/** The columns of an error row; `i` is its import, `e` the row. */
const ROW = `(e.caused_by IS NOT NULL) AS knock_on, array_position($1::text[], e.record_type) AS type_order,
  (extract(epoch FROM i.created_at) * 1000000)::bigint AS import_order, i.id AS import_id, i.source, e.record_type, e.batch_no, e.pos, e.field, e.code, e.ref,
  e.record_name, e.client_reference, e.reason, e.caused_by`;

/**
 * Not imported since by any import of the same practice and source (the failed refs of SPEC §3), nor by the dry run
 * the row is of, which claims no key but marks the row (migration 0041).
 */
const notImportedSince = `NOT e.dry_run_imported AND NOT EXISTS (SELECT 1 FROM source_records r
  WHERE r.practice_id = i.practice_id AND r.source = i.source AND r.record_type = e.record_type AND r.ref = e.ref)`;

/** Rows after a key given as the 8 parameters from $n on (all null: from the start). */
const after = (n: number) => `($${n}::boolean IS NULL OR (knock_on, type_order, import_order, import_id, batch_no, pos, field, code)
  > ($${n}, $${n + 1}::int, $${n + 2}::bigint, $${n + 3}::uuid, $${n + 4}::int, $${n + 5}::int, $${n + 6}::text, $${n + 7}::text))`;
const ORDER = 'ORDER BY knock_on, type_order, import_order, import_id, batch_no, pos, field, code';

const keyValues = (after: ErrorRowKey | null) => [
  after?.knock_on ?? null,
  after?.type_order ?? null,
  after?.import_order ?? null,
  after?.import_id ?? null,
  after?.batch_no ?? null,
  after?.pos ?? null,
  after?.field ?? null,
  after?.code ?? null,
];

/** Every error row of one import, with whether its record is still failing. */
export async function selectErrorPage(db: Queryable, importId: string, key: ErrorRowKey | null, limit: number): Promise<ErrorRow[]> {
  const { rows } = await db.query<ErrorRow>(
    `SELECT * FROM (
       SELECT ${ROW}, ${notImportedSince} AS still_failing
         FROM imports i JOIN record_errors e ON e.import_id = i.id WHERE i.id = $2) e
      WHERE ${after(3)} ${ORDER} LIMIT $11`,
    [RECORD_TYPES, importId, ...keyValues(key), limit],
  );
  return rows;
}

/** Who asks (`source` '' finds nothing: a source product asking for another source) and what for. */
export interface FailureFilter extends Scope {
  type: RecordType | null;
  code: ErrorCode | null;
}

/**
 * The practice's open failures (SPEC §6 `GET /v1/failures`): the rows of records still failing, from completed
 * imports only (a cancelled import never completes; its rows are intake's), and real ones (a dry run is a preview,
 * nothing to fix: its reasons never stand in for a real import's either). A ref that failed in several imports —
 * an import and its retries — is listed once, from the latest of them: that is its current reason. The code filter
 * applies after that choice, so an old reason never stands in for the current one.
 */
const openFailures = `
  SELECT ${ROW}, true AS still_failing
    FROM imports i JOIN record_errors e ON e.import_id = i.id
   WHERE i.practice_id = $2 AND i.status = 'completed' AND i.failed_total > 0 AND NOT i.dry_run
     AND ($3::text IS NULL OR i.source = $3) AND ($4::text IS NULL OR e.record_type = $4)
     AND ${notImportedSince}
     AND (e.ref IS NULL OR NOT EXISTS (
           SELECT 1 FROM record_errors later JOIN imports li ON li.id = later.import_id
            WHERE later.record_type = e.record_type AND later.ref = e.ref AND later.import_id <> i.id
              AND li.practice_id = i.practice_id AND li.source = i.source AND li.status = 'completed' AND NOT li.dry_run
              AND (li.created_at, li.id) > (i.created_at, i.id)))`;

export async function selectFailurePage(db: Queryable, filter: FailureFilter, key: ErrorRowKey | null, limit: number): Promise<ErrorRow[]> {
  const { rows } = await db.query<ErrorRow>(
    `SELECT * FROM (${openFailures}) e WHERE ($5::text IS NULL OR e.code = $5) AND ${after(6)} ${ORDER} LIMIT $14`,
    [RECORD_TYPES, filter.practiceId, filter.source, filter.type, filter.code, ...keyValues(key), limit],
  );
  return rows;
}

export interface FailureGroup {
  code: ErrorCode;
  record_type: RecordType;
  field: string;
  knock_on: boolean;
  records: number;
  rows: number;
}

/** The open failures grouped by reason (code, type and field), root causes first, biggest groups first. */
export async function selectFailureGroups(db: Queryable, filter: FailureFilter): Promise<FailureGroup[]> {
  const { rows } = await db.query<FailureGroup>(
    `SELECT code, record_type, field, knock_on, count(DISTINCT (import_id, batch_no, pos))::int AS records, count(*)::int AS rows
       FROM (${openFailures}) e
      WHERE $5::text IS NULL OR e.code = $5
      GROUP BY code, record_type, field, knock_on, type_order
      ORDER BY knock_on, records DESC, type_order, field, code`,
    [RECORD_TYPES, filter.practiceId, filter.source, filter.type, filter.code],
  );
  return rows;
}
