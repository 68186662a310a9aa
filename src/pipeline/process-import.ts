// Processing of one completed import, resumable at any point: each phase is one or more transactions that also
// record where the import stands (imports.phase, batches.committed_at), so a crash or a second worker picks up
// exactly where the last commit left off and nothing is done twice.
//
// Imports of one practice and source are processed one at a time (a session advisory lock held for the job), as
// their refs and links resolve against each other; different sources and practices run in parallel.
import type { FastifyBaseLogger } from 'fastify';
import { withTransaction, type Db } from '../db/pool.ts';
import { runCheck } from './check.sql.ts';
import { commitBatch, pendingBatches } from './commit.sql.ts';
import { runFinalise } from './finalise.sql.ts';

interface ImportState {
  practice_id: string;
  source: string;
  status: string;
  phase: string;
}

async function readState(db: Db, importId: string): Promise<ImportState | null> {
  const { rows } = await db.query<ImportState>('SELECT practice_id, source, status, phase FROM imports WHERE id = $1', [importId]);
  return rows[0] ?? null;
}

export interface ProcessOptions {
  log: FastifyBaseLogger;
  heartbeatSeconds: number;
  signal?: AbortSignal;
}

export async function processImport(db: Db, importId: string, { log, heartbeatSeconds, signal }: ProcessOptions): Promise<void> {
  const first = await readState(db, importId);
  if (!first || first.status !== 'processing') return;
  const scope = { importId, practiceId: first.practice_id, source: first.source };

  const lock = await db.connect();
  const beat = setInterval(() => {
    db.query(`UPDATE imports SET heartbeat_at = now() WHERE id = $1 AND status = 'processing'`, [importId]).catch(() => {});
  }, heartbeatSeconds * 1000);
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtextextended($1, 7253190003))`, [`${scope.practiceId}/${scope.source}`]);
    const state = await readState(db, importId);
    if (!state || state.status !== 'processing') return; // another worker finished it while we waited
    const started = Date.now();

    if (state.phase === 'queued' || state.phase === 'checking') {
      await db.query(`UPDATE imports SET phase = 'checking', progress = 0.02 WHERE id = $1`, [importId]);
      await withTransaction(db, (tx) => runCheck(tx, scope));
    }
    for (const batch of await pendingBatches(db, importId)) {
      if (signal?.aborted) throw new Error('processing stopped; it resumes from the last committed batch');
      await withTransaction(db, (tx) => commitBatch(tx, batch, scope));
    }
    await db.query(`UPDATE imports SET phase = 'finalising', progress = 0.97 WHERE id = $1`, [importId]);
    await withTransaction(db, (tx) => runFinalise(tx, scope));
    log.info({ importId, ms: Date.now() - started }, 'import processed');
  } finally {
    clearInterval(beat);
    await lock.query(`SELECT pg_advisory_unlock_all()`).catch(() => {});
    lock.release();
  }
}
