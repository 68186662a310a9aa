// A worker process without the HTTP server (`brightclient worker`): for when one machine is outgrown. It needs the
// server's database (DATABASE_URL); jobs and import state live there, so any number of workers share the work.
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { Config } from './config.ts';
import { createPool } from './db/pool.ts';
import { createBoss, startBoss } from './jobs/queue.ts';
import { startWorkers } from './jobs/workers.ts';

export async function runWorker(config: Config): Promise<void> {
  if (!config.databaseUrl) throw new Error('brightclient worker needs DATABASE_URL: the database of the server it works for.');
  const log = pino({ level: config.logLevel }) as FastifyBaseLogger;
  const db = createPool(config.databaseUrl, 10);
  const boss = createBoss(config.databaseUrl);
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  await startBoss(boss);
  const workers = await startWorkers({
    db,
    boss,
    concurrency: Math.max(1, config.workerConcurrency),
    heartbeatSeconds: config.heartbeatSeconds,
    retentionDays: config.retentionDays,
    log,
  });
  log.info({ concurrency: config.workerConcurrency }, 'worker running');
  const stop = async () => {
    await workers.stop();
    await boss.stop({ graceful: true, timeout: 10_000 });
    await db.end();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
