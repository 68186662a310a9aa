// The undo job (SPEC §10 "Undo"), resumable at any point like processing: each step is one transaction that also
// records where the undo stands (imports.undo_total once planned, the plan's rows consumed as records go), so a
// crash or a second worker picks up with exactly what is left and the end state is the same. The SQL is in
// undo.sql.ts; the moves between statuses in imports/import-lifecycle.sql.ts.
//
// Processing-side work: it runs as the owner role like the commit (its statements span every central table and
// are bounded by the practice filter in each), not under the request path's tenant role.
//
// An undo takes the practice's import lock like processing (db/advisory-locks.sql.ts): while it runs no import of
// the practice commits, so nothing links to the records it removes meanwhile, and matching never sees them half gone.
import { tryLockPracticeImports, unlockPracticeImports } from '../db/advisory-locks.sql.ts';
import { withTransaction, type Db } from '../db/pool.ts';
import { abandonUndo, advanceUndoProgress, beat, enterUndone, recordUndoPlan } from '../imports/import-lifecycle.sql.ts';
import { hasDependants, selectDependants, selectUndoneTogether } from '../imports/undo.sql.ts';
import type { ProcessOptions, ProcessResult } from './process-import.ts';
import { planUndo, removePlanned, REMOVAL_ORDER, selectUndoState } from './undo.sql.ts';

/** Records removed per transaction: short transactions, steady progress, and a crash loses at most one chunk's work. */
export const UNDO_CHUNK = 5_000;

export async function undoImport(db: Db, importId: string, { log, heartbeatSeconds, signal }: ProcessOptions): Promise<ProcessResult> {
  const first = await selectUndoState(db, importId);
  if (!first || first.status !== 'undoing' || first.undo_with !== null) return 'done';
  const practiceId = first.practice_id;

  const session = await db.connect();
  // As in processImport: a dropped connection loses the lock, so the undo stops at its next step and resumes.
  const lost = new AbortController();
  const onLost = (error: Error) => lost.abort(error);
  session.on('error', onLost);
  const stopped = signal ? AbortSignal.any([signal, lost.signal]) : lost.signal;
  const beating = setInterval(() => void beat(db, importId).catch(() => {}), heartbeatSeconds * 1000);
  let locked = false;
  try {
    locked = await tryLockPracticeImports(session, practiceId);
    if (!locked) return 'practice_busy';
    const state = await selectUndoState(db, importId);
    if (!state || state.status !== 'undoing') return 'done'; // another worker finished it meanwhile
    const started = Date.now();
    const checkpoint = () => {
      if (stopped.aborted) throw new Error('undo stopped; it resumes from the last committed step', { cause: stopped.reason });
    };

    if (state.undo_total === null) {
      const planned = await withTransaction(db, async (tx) => {
        const together = await selectUndoneTogether(tx, importId);
        // The request checked for dependants; one may have been committed before this job took the practice lock.
        const dependants = await selectDependants(tx, together, practiceId);
        if (hasDependants(dependants)) {
          await abandonUndo(tx, importId);
          log.warn({ importId, dependants }, 'undo abandoned: records of another import came to depend on the import');
          return false;
        }
        await recordUndoPlan(tx, importId, await planUndo(tx, together, practiceId, importId));
        return true;
      });
      if (!planned) return 'done';
    }
    for (const type of REMOVAL_ORDER) {
      for (;;) {
        checkpoint();
        const taken = await withTransaction(db, async (tx) => {
          const n = await removePlanned(tx, importId, type, UNDO_CHUNK);
          if (n > 0) await advanceUndoProgress(tx, importId, n);
          return n;
        });
        if (taken < UNDO_CHUNK) break;
      }
    }
    await enterUndone(db, importId);
    log.info({ importId, ms: Date.now() - started }, 'import undone');
    return 'done';
  } finally {
    clearInterval(beating);
    if (locked && !lost.signal.aborted) await unlockPracticeImports(session, practiceId).catch(() => {});
    if (!lost.signal.aborted) session.off('error', onLost);
    session.release(lost.signal.aborted ? (lost.signal.reason as Error) : undefined);
  }
}
