// Statements on imports, their counts and batches. Every one is scoped to a practice (and a source where the
// caller is a source product), so another tenant's id simply finds nothing.
import type { Queryable } from '../db/pool.ts';
import type { Scope, SourceScope } from '../domain/scope.ts';
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import type { CancelReason, ImportKind, ImportPhase, ImportStatus } from '../domain/import-lifecycle.ts';
import { stillFailingOf } from './still-failing.sql.ts';

export interface ImportRow {
  id: string;
  practice_id: string;
  source: string;
  status: ImportStatus;
  phase: ImportPhase;
  kind: ImportKind;
  dry_run: boolean;
  retry_of: string | null;
  requested: Record<RecordType, string[]> | null;
  expected_batches: number | null;
  progress: number;
  failed_total: number;
  not_sent: Record<RecordType, number> | null;
  created_at: Date;
  /** The practice user who started it (a retry pressed in the web UI); null: its source product. */
  started_by_email: string | null;
  cancel_reason: CancelReason | null;
  cancelled_at: Date | null;
  /** The practice user who cancelled it; null: its source product (or nobody, for an expiry). */
  cancelled_by_email: string | null;
  undo_requested_at: Date | null;
  /** The practice user who asked for the undo; null: its source product (or no undo). */
  undo_requested_by_email: string | null;
  undone_at: Date | null;
  processing_at: Date | null;
  completed_at: Date | null;
  batches_received: number;
  counts: {
    record_type: RecordType;
    received: number;
    invalid: number;
    imported: number;
    failed: number;
    skipped: number;
    matched: number;
  }[];
  /** Failed records not imported since, per type (types with none are absent); see still-failing.sql.ts. */
  still_failing: Partial<Record<RecordType, number>> | null;
}

const IMPORT_COLUMNS = `i.id, i.practice_id, i.source, i.status, i.phase, i.kind, i.dry_run, i.retry_of, i.requested, i.expected_batches, i.progress,
  i.failed_total, i.not_sent, i.created_at, i.processing_at, i.completed_at,
  (SELECT u.email FROM users u WHERE u.id = i.started_by_user) AS started_by_email,
  i.cancel_reason, i.cancelled_at, (SELECT u.email FROM users u WHERE u.id = i.cancelled_by_user) AS cancelled_by_email,
  i.undo_requested_at, (SELECT u.email FROM users u WHERE u.id = i.undo_requested_by_user) AS undo_requested_by_email, i.undone_at,
  (SELECT count(*)::int FROM batches b WHERE b.import_id = i.id) AS batches_received,
  (SELECT coalesce(json_agg(c), '[]') FROM import_counts c WHERE c.import_id = i.id) AS counts,
  s.still_failing`;

/** The imports picked by `listed` (a query over `imports i`), as ImportRows in the order of `orderBy`. */
const importRows = (listed: string, orderBy = '') => `
  WITH listed AS (${listed}), still AS (${stillFailingOf('listed')})
  SELECT ${IMPORT_COLUMNS} FROM listed i LEFT JOIN still s ON s.import_id = i.id ${orderBy}`;

/** What a new import row holds beyond its practice and source. */
export interface NewImport {
  kind: ImportKind;
  retryOf: string | null;
  /** A retry: the failed refs it asks the source for. */
  requested: Record<RecordType, string[]> | null;
  dryRun: boolean;
  idempotencyKey: string | null;
  /** The practice user who started it on the source's behalf; null: the source product itself. */
  startedByUser: string | null;
}

/**
 * Inserts an import and its counts; null when its idempotency key is already taken (then nothing is inserted). Two
 * statements, not one with a data-modifying WITH: the counts' row-level security checks that their import is
 * visible, and the statements of one WITH share a snapshot that does not yet hold the new import.
 */
export async function insertImport(db: Queryable, scope: SourceScope, start: NewImport): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO imports (practice_id, source, kind, retry_of, requested, dry_run, idempotency_key, started_by_user)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (practice_id, source, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      scope.practiceId,
      scope.source,
      start.kind,
      start.retryOf,
      start.requested === null ? null : JSON.stringify(start.requested),
      start.dryRun,
      start.idempotencyKey,
      start.startedByUser,
    ],
  );
  const id = rows[0]?.id ?? null;
  if (id !== null) {
    await db.query('INSERT INTO import_counts (import_id, record_type) SELECT $1::uuid, t FROM unnest($2::text[]) t', [id, RECORD_TYPES]);
  }
  return id;
}

/** The import started earlier with this idempotency key, what it was a retry of and whether a dry run. */
export async function selectImportByKey(
  db: Queryable,
  scope: SourceScope,
  key: string,
): Promise<{ id: string; retry_of: string | null; dry_run: boolean } | null> {
  const { rows } = await db.query<{ id: string; retry_of: string | null; dry_run: boolean }>(
    'SELECT id, retry_of, dry_run FROM imports WHERE practice_id = $1 AND source = $2 AND idempotency_key = $3',
    [scope.practiceId, scope.source, key],
  );
  return rows[0] ?? null;
}

export async function selectImport(db: Queryable, scope: Scope, id: string): Promise<ImportRow | null> {
  const { rows } = await db.query<ImportRow>(
    importRows('SELECT * FROM imports i WHERE i.id = $1 AND i.practice_id = $2 AND ($3::text IS NULL OR i.source = $3)'),
    [id, scope.practiceId, scope.source],
  );
  return rows[0] ?? null;
}

export interface ImportFilter {
  status: ImportStatus | null;
  hasFailures: boolean | null;
  /**
   * true: imports with records still failing; false: completed imports with none (SPEC §10). Either way real
   * imports only: a dry run's failures are a preview, never something still wrong (it never shows in the banner).
   */
  stillFailing: boolean | null;
  since: Date | null;
  limit: number;
}

/**
 * Newest first. With the stillFailing filter the candidates are every completed import that matched the other
 * filters (only the count tells which qualify), so the limit applies after counting.
 */
export async function selectImports(db: Queryable, scope: Scope, filter: ImportFilter): Promise<ImportRow[]> {
  const { rows } = await db.query<ImportRow>(
    `SELECT * FROM (${importRows(
      `SELECT * FROM imports i
        WHERE i.practice_id = $1 AND ($2::text IS NULL OR i.source = $2)
          AND ($3::text IS NULL OR i.status = $3)
          AND ($4::boolean IS NULL OR (i.status = 'completed' AND (i.failed_total > 0) = $4))
          AND ($5::timestamptz IS NULL OR i.created_at >= $5)
          AND ($7::boolean IS NULL OR (i.status = 'completed' AND NOT i.dry_run))
        ORDER BY i.created_at DESC, i.id DESC LIMIT CASE WHEN $7::boolean IS NULL THEN $6::int END`,
    )}) r
      WHERE $7::boolean IS NULL OR (r.still_failing IS NOT NULL) = $7
      ORDER BY r.created_at DESC, r.id DESC LIMIT $6`,
    [scope.practiceId, scope.source, filter.status, filter.hasFailures, filter.since, filter.limit, filter.stillFailing],
  );
  return rows;
}

/** Locks the import row against `complete` (which takes FOR UPDATE) while a batch is written. */
export async function lockImportForBatch(db: Queryable, scope: Scope, id: string): Promise<{ status: ImportStatus } | null> {
  const { rows } = await db.query<{ status: ImportStatus }>(
    `SELECT status FROM imports WHERE id = $1 AND practice_id = $2 AND ($3::text IS NULL OR source = $3) FOR SHARE`,
    [id, scope.practiceId, scope.source],
  );
  return rows[0] ?? null;
}

export async function lockImportForUpdate(
  db: Queryable,
  scope: Scope,
  id: string,
): Promise<{ status: ImportStatus; expected_batches: number | null; dry_run: boolean } | null> {
  const { rows } = await db.query<{ status: ImportStatus; expected_batches: number | null; dry_run: boolean }>(
    `SELECT status, expected_batches, dry_run FROM imports WHERE id = $1 AND practice_id = $2 AND ($3::text IS NULL OR source = $3) FOR UPDATE`,
    [id, scope.practiceId, scope.source],
  );
  return rows[0] ?? null;
}

/** Batch numbers 1..count that were not received, and numbers above count that were. */
export async function batchNumberGaps(db: Queryable, importId: string, count: number): Promise<{ missing: number[]; extra: number[] }> {
  const { rows } = await db.query<{ missing: number[]; extra: number[] }>(
    `SELECT
       ARRAY(SELECT n FROM generate_series(1, $2::int) n
              WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.import_id = $1 AND b.batch_no = n) ORDER BY n LIMIT 1000) AS missing,
       ARRAY(SELECT batch_no FROM batches WHERE import_id = $1 AND batch_no > $2 ORDER BY batch_no LIMIT 1000) AS extra`,
    [importId, count],
  );
  return rows[0]!;
}

/** How many imports of the practice and source are still receiving batches. */
export async function countReceivingImports(db: Queryable, scope: SourceScope): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM imports WHERE practice_id = $1 AND source = $2 AND status = 'receiving'`,
    [scope.practiceId, scope.source],
  );
  return rows[0]!.n;
}

/** A retry of the import that is still open (receiving or processing), if any. */
export async function selectOpenRetry(db: Queryable, retryOf: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM imports WHERE retry_of = $1 AND status IN ('receiving', 'processing') LIMIT 1`,
    [retryOf],
  );
  return rows[0]?.id ?? null;
}

/** The practice's imports of these ids (a page of imports named elsewhere, e.g. one per source). */
export async function selectImportsByIds(db: Queryable, scope: Scope, ids: string[]): Promise<ImportRow[]> {
  const { rows } = await db.query<ImportRow>(
    importRows('SELECT * FROM imports i WHERE i.id = ANY($1::uuid[]) AND i.practice_id = $2 AND ($3::text IS NULL OR i.source = $3)'),
    [ids, scope.practiceId, scope.source],
  );
  return rows;
}
