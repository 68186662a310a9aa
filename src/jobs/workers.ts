// The import workers: pg-boss jobs processed in this process (the server's, or a separate `brightclient worker`),
// plus a sweep that resumes imports whose worker died (their heartbeat went stale).
import type { FastifyBaseLogger } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { withTransaction, type Db } from '../db/pool.ts';
import { beat, claimStalledImports } from '../imports/import-lifecycle.sql.ts';
import { processImport, type ProcessOptions, type ProcessResult } from '../pipeline/process-import.ts';
import { undoImport } from '../pipeline/undo-import.ts';
import { expireIdleReceiving } from '../imports/cancel.service.ts';
import {
  enqueueImport,
  EXPIRE_RECEIVING,
  PROCESS_IMPORT,
  requeueImport,
  UNDO_IMPORT,
  type ImportQueue,
  type ProcessImportJob,
} from '../db/queue.ts';
import { purgeExpiredStagedRecords } from './retention.ts';

const RETENTION_SWEEP_MS = 60 * 60 * 1000;

export interface Workers {
  stop(): Promise<void>;
}

/** Re-enqueues processing and undoing imports nobody has heartbeated for a while: a sweep across practices, as the owner. */
export async function resumeStalledImports(db: Db, boss: PgBoss, staleAfterSeconds: number): Promise<number> {
  return withTransaction(db, async (tx) => {
    const stalled = await claimStalledImports(tx, staleAfterSeconds);
    for (const { id, status } of stalled) await enqueueImport(boss, tx, id, status === 'undoing' ? UNDO_IMPORT : PROCESS_IMPORT);
    return stalled.length;
  });
}

type ImportJobRunner = (db: Db, importId: string, options: ProcessOptions) => Promise<ProcessResult>;

export interface WorkerDeps {
  db: Db;
  boss: PgBoss;
  concurrency: number;
  /** How often a processing job proves it is alive; three missed beats and the import is resumed elsewhere. */
  heartbeatSeconds: number;
  retentionDays: number;
  /** A receiving import without a batch for this long expires. */
  receivingTtlHours: number;
  log: FastifyBaseLogger;
}

export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const { db, boss, concurrency, heartbeatSeconds, retentionDays, receivingTtlHours, log } = deps;
  if (concurrency === 0) return { stop: async () => {} };
  const work = async (queue: ImportQueue, run: ImportJobRunner, localConcurrency: number) =>
    boss.work<ProcessImportJob>(queue, { localConcurrency, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 10 }, async ([job]) => {
      if (!job) return;
      const result = await run(db, job.data.importId, { log, heartbeatSeconds, signal: job.signal });
      // Another import of the practice is being processed (or undone): this job ends (its worker takes other
      // practices' work) and the import is queued again shortly, beating so the stalled-import sweep leaves it alone.
      if (result === 'practice_busy') {
        await beat(db, job.data.importId);
        await requeueImport(boss, job.data.importId, queue);
      }
    });
  await work(PROCESS_IMPORT, processImport, concurrency);
  // Undos are rare and short next to imports: one at a time per process is plenty.
  await work(UNDO_IMPORT, undoImport, 1);
  // A pg-boss schedule, not a timer: with several worker processes the minute's sweep runs once, on one of them.
  await boss.work(EXPIRE_RECEIVING, async () => {
    const expired = await expireIdleReceiving(db, receivingTtlHours).catch((error: unknown) => {
      log.error({ err: error }, 'expiry sweep failed');
      throw error;
    });
    if (expired > 0) log.info({ imports: expired, receivingTtlHours }, 'expired receiving imports that took no batch');
  });
  await boss.schedule(EXPIRE_RECEIVING, '* * * * *');
  const sweep = () =>
    resumeStalledImports(db, boss, heartbeatSeconds * 3).then(
      (n) => n > 0 && log.warn({ resumed: n }, 'resumed imports whose worker stopped'),
      (error: unknown) => log.error({ err: error }, 'resume sweep failed'),
    );
  void sweep();
  const timer = setInterval(() => void sweep(), heartbeatSeconds * 1000);
  const purge = () =>
    purgeExpiredStagedRecords(db, retentionDays).then(
      (n) => n > 0 && log.info({ imports: n, retentionDays }, 'deleted staged records past retention'),
      (error: unknown) => log.error({ err: error }, 'retention sweep failed'),
    );
  void purge();
  const purgeTimer = setInterval(() => void purge(), RETENTION_SWEEP_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      clearInterval(purgeTimer);
      await boss.offWork(EXPIRE_RECEIVING, { wait: true }).catch(() => {});
      await boss.offWork(PROCESS_IMPORT, { wait: true }).catch(() => {});
      await boss.offWork(UNDO_IMPORT, { wait: true }).catch(() => {});
    },
  };
}
