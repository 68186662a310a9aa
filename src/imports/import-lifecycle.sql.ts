// The statements that move an import through its life (import-lifecycle.ts): every write of imports.status,
// phase, progress and heartbeat_at is here. Each runs in the caller's transaction where the move must commit with
// the work it records (the check's verdicts, a batch's commit, the final counts), so a crash never leaves an import
// in a phase whose work is lost.
import type { Queryable } from '../db/pool.ts';
import { PROGRESS_BANDS, type ImportPhase, type ImportStatus, type ProcessingStep, type WorkingPhase } from '../domain/import-lifecycle.ts';

export interface LifeState {
  practice_id: string;
  source: string;
  status: ImportStatus;
  phase: ImportPhase;
  dry_run: boolean;
}

export async function selectLifeState(db: Queryable, importId: string): Promise<LifeState | null> {
  const { rows } = await db.query<LifeState>('SELECT practice_id, source, status, phase, dry_run FROM imports WHERE id = $1', [importId]);
  return rows[0] ?? null;
}

/** Receiving → queued (status processing): the batch count is fixed; `complete` enqueues the job in the same transaction. */
export async function enterQueued(db: Queryable, importId: string, expectedBatches: number): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'processing', phase = 'queued', progress = $3, expected_batches = $2, processing_at = now(),
                        heartbeat_at = now()
      WHERE id = $1`,
    [importId, expectedBatches, PROGRESS_BANDS.queued.from],
  );
}

/** A worker moves the import to the start of `phase`, which also proves it alive. */
export async function enterPhase(db: Queryable, importId: string, phase: WorkingPhase): Promise<void> {
  await db.query(`UPDATE imports SET phase = $2, progress = $3, heartbeat_at = now() WHERE id = $1`, [
    importId,
    phase,
    PROGRESS_BANDS[phase].from,
  ]);
}

/** Through the commit's band by the share of records in committed batches; in each batch's commit transaction. */
export async function advanceCommitProgress(db: Queryable, importId: string): Promise<void> {
  const band = PROGRESS_BANDS.committing;
  await db.query(
    `UPDATE imports SET heartbeat_at = now(), progress = $2 + $3 * (
        SELECT coalesce(sum(record_count) FILTER (WHERE committed_at IS NOT NULL), 0)::real / greatest(sum(record_count), 1)
          FROM batches WHERE import_id = $1)
      WHERE id = $1`,
    [importId, band.from, band.to - band.from],
  );
}

/** Processing → completed, in finalise's transaction; nobody needs to prove alive any more. */
export async function enterCompleted(db: Queryable, importId: string): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'completed', phase = 'completed', progress = $2, completed_at = now(), heartbeat_at = NULL
      WHERE id = $1`,
    [importId, PROGRESS_BANDS.completed.from],
  );
}

/**
 * Receiving → cancelled, on request: by a practice user, or (null) by the import's source product. The caller holds
 * the row locked and has checked that it is receiving.
 */
export async function enterCancelled(db: Queryable, importId: string, byUser: string | null): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'cancelled', phase = 'cancelled', progress = $3, cancel_reason = 'cancelled', cancelled_at = now(),
                        cancelled_by_user = $2
      WHERE id = $1`,
    [importId, byUser, PROGRESS_BANDS.cancelled.from],
  );
}

/**
 * Receiving → cancelled as `expired`: imports that took no batch for `ttlHours` (since they started, or since their
 * last batch). SKIP LOCKED passes over an import whose batch is being written this moment (it holds the row).
 */
export async function expireIdleImports(db: Queryable, ttlHours: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE imports SET status = 'cancelled', phase = 'cancelled', progress = $2, cancel_reason = 'expired', cancelled_at = now()
      WHERE id IN (SELECT i.id FROM imports i
                    WHERE i.status = 'receiving'
                      AND greatest(i.created_at, (SELECT max(b.received_at) FROM batches b WHERE b.import_id = i.id))
                          < now() - make_interval(secs => $1::float8 * 3600)
                    FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [ttlHours, PROGRESS_BANDS.cancelled.from],
  );
  return rows.map((r) => r.id);
}

/** The worker processing (or undoing) the import is alive; a stale heartbeat gets the import resumed elsewhere. */
export async function beat(db: Queryable, importId: string): Promise<void> {
  await db.query(`UPDATE imports SET heartbeat_at = now() WHERE id = $1 AND status IN ('processing', 'undoing')`, [importId]);
}

/**
 * Completed → undoing, for the import asked for (`importId`, whose job does the work and beats) and the retries
 * undone with it (`together`, which follow it: undo_with). By a practice user, or (null) by the source product.
 * The caller holds their rows locked and has checked that they are completed.
 */
export async function enterUndoing(db: Queryable, importId: string, together: string[], byUser: string | null): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'undoing', phase = 'undoing', progress = $4, undo_requested_at = now(), undo_requested_by_user = $3,
                        undo_with = CASE WHEN id = $1 THEN NULL ELSE $1::uuid END, heartbeat_at = CASE WHEN id = $1 THEN now() END
      WHERE id = ANY($2::uuid[])`,
    [importId, together, byUser, PROGRESS_BANDS.undoing.from],
  );
}

/** The undo's plan is made: `total` central records to remove, the measure of its progress. */
export async function recordUndoPlan(db: Queryable, importId: string, total: number): Promise<void> {
  await db.query('UPDATE imports SET undo_total = $2, heartbeat_at = now() WHERE id = $1', [importId, total]);
}

/** Through the undo's band by the share of planned records removed; in each removal's transaction. */
export async function advanceUndoProgress(db: Queryable, importId: string, removed: number): Promise<void> {
  const band = PROGRESS_BANDS.undoing;
  await db.query(
    `WITH root AS (
       UPDATE imports SET heartbeat_at = now(), progress = least($4::real, progress + $3::real * $2 / greatest(undo_total, 1))
        WHERE id = $1 RETURNING progress)
     UPDATE imports SET progress = (SELECT progress FROM root) WHERE undo_with = $1`,
    [importId, removed, band.to - band.from, band.to],
  );
}

/** Undoing → undone, for the import and the retries undone with it, in the undo's last transaction. */
export async function enterUndone(db: Queryable, importId: string): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'undone', phase = 'undone', progress = $2, undone_at = now(), heartbeat_at = NULL
      WHERE id = $1 OR undo_with = $1`,
    [importId, PROGRESS_BANDS.undone.from],
  );
}

/**
 * Undoing → completed again, nothing done: records of another import came to depend on the import between the
 * request and the undo's first step (see undo-import.ts). The request is forgotten, as if never made.
 */
export async function abandonUndo(db: Queryable, importId: string): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'completed', phase = 'completed', progress = $2, undo_requested_at = NULL, undo_requested_by_user = NULL,
                        undo_with = NULL, undo_total = NULL, heartbeat_at = NULL
      WHERE id = $1 OR undo_with = $1`,
    [importId, PROGRESS_BANDS.completed.from],
  );
}

/** One row per step done, in the step's own transaction: a rolled-back step leaves none (see import_log). */
export async function logStep(
  db: Queryable,
  step: { importId: string; step: ProcessingStep; batchNo: number | null; worker: string; ms: number },
): Promise<void> {
  await db.query('INSERT INTO import_log (import_id, step, batch_no, worker, ms) VALUES ($1, $2, $3, $4, $5)', [
    step.importId,
    step.step,
    step.batchNo,
    step.worker,
    step.ms,
  ]);
}

export interface StalledImport {
  id: string;
  /** processing: its processing job is enqueued again; undoing: its undo job. */
  status: Extract<ImportStatus, 'processing' | 'undoing'>;
}

/**
 * Claims the processing and undoing imports nobody has beaten for `staleAfterSeconds` (their worker died) by
 * beating for them, so the caller can enqueue them again in the same transaction; SKIP LOCKED keeps two sweepers
 * apart. Of an undo, only the import asked for has a job (the retries undone with it follow it).
 */
export async function claimStalledImports(db: Queryable, staleAfterSeconds: number): Promise<StalledImport[]> {
  const { rows } = await db.query<StalledImport>(
    `UPDATE imports SET heartbeat_at = now()
      WHERE id IN (SELECT id FROM imports
                    WHERE (status = 'processing' OR (status = 'undoing' AND undo_with IS NULL))
                      AND heartbeat_at < now() - make_interval(secs => $1)
                    FOR UPDATE SKIP LOCKED)
      RETURNING id, status`,
    [staleAfterSeconds],
  );
  return rows;
}
