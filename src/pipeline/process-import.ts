// Processing of one completed import, resumable at any point: each phase is one or more transactions that also
// record where the import stands (imports.phase, batches.committed_at), so a crash or a second worker picks up
// exactly where the last commit left off and nothing is done twice. This file only orders the steps: the SQL of
// each is in check/commit/finalise.sql.ts (a dry run's commit in dry-run.sql.ts), the moves between phases in
// imports/import-lifecycle.sql.ts.
//
// Imports of one practice are processed one at a time, whatever their source (db/advisory-locks.sql.ts); different
// practices run in parallel. An import whose practice is busy is not waited for here: its worker is given back.
import type { FastifyBaseLogger } from 'fastify';
import { hostname } from 'node:os';
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import { tryLockPracticeImports, unlockPracticeImports } from '../db/advisory-locks.sql.ts';
import { withTransaction, type Db, type Tx } from '../db/pool.ts';
import type { ProcessingStep } from '../domain/import-lifecycle.ts';
import { advanceCommitProgress, beat, enterCompleted, enterPhase, logStep, selectLifeState } from '../imports/import-lifecycle.sql.ts';
import { stageHeldBatches } from '../intake/stage-batch.ts';
import { runCheck } from './check.sql.ts';
import { commitBatch, pendingBatches, type PendingBatch } from './commit.sql.ts';
import { commitDryRun } from './dry-run.sql.ts';
import { openReviewItems } from './match-review.sql.ts';
import { matchType, otherSourcesExist } from './match.sql.ts';
import { runFinalise } from './finalise.sql.ts';
import { inParallel } from './in-parallel.ts';
import { analyzeKeys, analyzeStaging } from './statistics.sql.ts';

const WORKER = `${hostname()}:${process.pid}`;
/**
 * Batches of one type do not depend on each other: two at a time keep both cores busy (measured: 1.6× faster than
 * one). Also while matching against other sources: the matches of the whole type are decided in a step before its
 * first batch (matchType, match.sql.ts), so no batch's matches depend on which other batch committed first (SPEC §9).
 */
const COMMIT_CONCURRENCY = 2;

/**
 * Runs one step in its own transaction and logs it in the same transaction (see import_log). Processing runs as the
 * owner (the connecting role), not as a tenant role: its steps COPY and bulk-write the staging and central tables,
 * and PostgreSQL refuses COPY FROM into a table whose row security applies to the role (SPEC §8). Each statement
 * is scoped by the import it processes (docs/security.md). Work that answers `false` found nothing left to do (a
 * decision that committed before a crash) and is not logged again.
 */
async function step(
  db: Db,
  importId: string,
  name: ProcessingStep,
  batchNo: number | null,
  work: (tx: Tx) => Promise<boolean | void>,
): Promise<void> {
  const started = Date.now();
  await withTransaction(db, async (tx) => {
    // No JIT: a batch's statements cost far above jit_above_cost by their estimates (the commit's hash-joins-only
    // setting alone adds 10^10 to any statement that must loop, such as the search-words trigger's unnest), so
    // PostgreSQL compiles each one, every time. Measured on PostgreSQL 15 at 136,000 records: 0.3–0.9 s of compiling
    // for a 0.03 s search-words statement, 2.8 s for a 1.2 s review statement, 0.65 s of a 0.65 s finalise statement.
    await tx.query('SET LOCAL jit = off');
    if ((await work(tx)) === false) return;
    await logStep(tx, { importId, step: name, batchNo, worker: WORKER, ms: Date.now() - started });
  });
}

export interface ProcessOptions {
  log: FastifyBaseLogger;
  heartbeatSeconds: number;
  signal?: AbortSignal;
}

/** `practice_busy`: another import of the practice is being processed; this one was not started. */
export type ProcessResult = 'done' | 'practice_busy';

export async function processImport(db: Db, importId: string, { log, heartbeatSeconds, signal }: ProcessOptions): Promise<ProcessResult> {
  const first = await selectLifeState(db, importId);
  if (!first || first.status !== 'processing') return 'done';
  const scope = { importId, practiceId: first.practice_id, source: first.source };

  const session = await db.connect();
  // The practice lock lives on this connection. If the connection drops (a database restart, a failover, a proxy),
  // the lock is gone: processing stops at the next step, the job fails and is retried, and resumes where the last
  // commit left off. Without this listener the connection's error would be unhandled and end the whole process.
  const lost = new AbortController();
  const onLost = (error: Error) => lost.abort(error);
  session.on('error', onLost);
  const stopped = signal ? AbortSignal.any([signal, lost.signal]) : lost.signal;
  const beating = setInterval(() => void beat(db, importId).catch(() => {}), heartbeatSeconds * 1000);
  let locked = false;
  try {
    locked = await tryLockPracticeImports(session, scope.practiceId);
    if (!locked) return 'practice_busy';
    const state = await selectLifeState(db, importId);
    if (!state || state.status !== 'processing') return 'done'; // another worker finished it meanwhile
    const started = Date.now();
    const checkpoint = () => {
      if (stopped.aborted) throw new Error('processing stopped; it resumes from the last committed step', { cause: stopped.reason });
    };

    if (state.phase === 'queued' || state.phase === 'checking') {
      await stageHeldBatches(db, scope.practiceId, importId);
      await enterPhase(db, importId, 'checking');
      await analyzeStaging(db);
      await step(db, importId, 'check', null, async (tx) => {
        await runCheck(tx, scope);
        await enterPhase(tx, importId, 'committing');
      });
    }
    checkpoint();
    const pending = await pendingBatches(db, importId);
    const matching = await otherSourcesExist(db, scope.practiceId, scope.source);
    if (state.dry_run) {
      // All batches in one transaction that keeps only their outcomes (dry-run.sql.ts); progress moves when it ends.
      if (pending.length > 0) {
        await step(db, importId, 'commit', null, async (tx) => {
          await commitDryRun(tx, pending, scope, matching);
          await advanceCommitProgress(tx, importId);
        });
      }
    } else {
      const batchesOf = (type: RecordType) => pending.filter((b) => b.record_type === type);
      // Logged under the number of the type's first batch (each step and batch is logged once).
      const decide = (type: RecordType) => step(db, importId, 'match', batchesOf(type)[0]!.batch_no, (tx) => matchType(tx, type, scope));
      const commit = async (batch: PendingBatch) => {
        checkpoint();
        await step(db, importId, 'commit', batch.batch_no, async (tx) => {
          await commitBatch(tx, batch, scope, matching);
          await advanceCommitProgress(tx, importId);
        });
      };
      // A contact's matches depend only on what the other sources committed, never on this import's clients, so
      // they are decided beside the clients' commits — at 3,000,000 records the longest statement of processing
      // (62 s), which ran alone before, one core idle. The addresses' wait for their owners' commits.
      const contactsDecided = matching && batchesOf('contacts').length > 0 ? decide('contacts') : null;
      contactsDecided?.catch(() => {}); // awaited below, however the clients' commits end
      try {
        for (const type of RECORD_TYPES) {
          const batches = batchesOf(type);
          if (batches.length === 0) continue;
          await analyzeKeys(db);
          if (matching) await (type === 'contacts' ? contactsDecided : decide(type));
          await inParallel(batches, COMMIT_CONCURRENCY, commit);
        }
      } finally {
        // Nothing of this run is still writing when a failure is handed on.
        await contactsDecided?.catch(() => {});
      }
    }
    checkpoint();
    await enterPhase(db, importId, 'finalising');
    await step(db, importId, 'finalise', null, async (tx) => {
      // A dry run's keys were rolled back with its records: the review statements would find nothing to compare.
      if (!state.dry_run) await openReviewItems(tx, scope);
      await runFinalise(tx, scope);
      await enterCompleted(tx, importId);
    });
    log.info({ importId, ms: Date.now() - started }, 'import processed');
    return 'done';
  } finally {
    clearInterval(beating);
    if (locked && !lost.signal.aborted) await unlockPracticeImports(session, scope.practiceId).catch(() => {});
    // A dropped connection keeps the listener (it may report more) and is destroyed, not handed back to the pool.
    if (!lost.signal.aborted) session.off('error', onLost);
    session.release(lost.signal.aborted ? (lost.signal.reason as Error) : undefined);
  }
}
