// The queues on pg-boss: jobs are rows in the same PostgreSQL, so an import's move to `processing` and its
// job commit together (send with the transaction's client). NOTIFY wakes a worker at once instead of a poll.
// Beside the pool because the queue is part of the database every layer writes to: imports/ enqueues inside its
// transactions, jobs/ works the queues; their handlers are wired in jobs/workers.ts.
import { PgBoss } from 'pg-boss';
import type { Queryable } from './pool.ts';

export const PROCESS_IMPORT = 'process-import';
/** Undoes a completed import (pipeline/undo-import.ts); its job data is a ProcessImportJob too. */
export const UNDO_IMPORT = 'undo-import';
/** The queues whose jobs work on one import. */
export type ImportQueue = typeof PROCESS_IMPORT | typeof UNDO_IMPORT;
/** Expires idle receiving imports; scheduled every minute (see jobs/workers.ts). */
export const EXPIRE_RECEIVING = 'expire-receiving';

export interface ProcessImportJob {
  importId: string;
}

export function createBoss(connectionString: string): PgBoss {
  return new PgBoss({
    connectionString,
    max: 4,
    useListenNotify: true,
    // A job is rescued by our own heartbeat sweep (resumeStalledImports in jobs/workers.ts); pg-boss's expiry is only a last resort.
    superviseIntervalSeconds: 60,
  });
}

export async function startBoss(boss: PgBoss): Promise<void> {
  await boss.start();
  for (const queue of [PROCESS_IMPORT, UNDO_IMPORT]) {
    await boss.createQueue(queue, {
      notify: true,
      expireInSeconds: 6 * 60 * 60,
      retryLimit: 20,
      retryDelay: 2,
      retryBackoff: true,
      retryDelayMax: 120,
    });
  }
  // A sweep missed is made good by the next one a minute later: no retries, and old runs need not be kept.
  await boss.createQueue(EXPIRE_RECEIVING, { retryLimit: 0, expireInSeconds: 5 * 60, deleteAfterSeconds: 24 * 60 * 60 });
}

/** Enqueues the processing (or the undo) of an import inside the caller's transaction. */
export async function enqueueImport(boss: PgBoss, tx: Queryable, importId: string, queue: ImportQueue = PROCESS_IMPORT): Promise<void> {
  await boss.send(queue, { importId } satisfies ProcessImportJob, {
    db: { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) },
  });
}

/** How soon an import whose practice was busy is tried again. */
const PRACTICE_BUSY_RETRY_SECONDS = 1;

/** Queues the processing (or the undo) of an import again, a moment from now (its practice was busy). */
export async function requeueImport(boss: PgBoss, importId: string, queue: ImportQueue = PROCESS_IMPORT): Promise<void> {
  await boss.send(queue, { importId } satisfies ProcessImportJob, { startAfter: PRACTICE_BUSY_RETRY_SECONDS });
}
