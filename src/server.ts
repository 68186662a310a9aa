// The one composition of a BrightClient process, used by main.ts, worker.ts, the tests and the benchmarks: a pool
// and pg-boss on one database, the HTTP app (unless the process only works) and the import workers. stop() takes
// them down in the one safe order: HTTP first (no new work arrives), then the workers (each job stops at a safe
// point), then pg-boss, then the pool. Listening, signals and the embedded database stay with the caller.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import pino from 'pino';
import { DEFAULTS, type Settings } from './config.ts';
import { migrate, type Migration } from './db/migrate.ts';
import { createPool, type Db } from './db/pool.ts';
import { buildApp } from './http/app.ts';
import { sessionAuthenticator } from './http/session-cookie.ts';
import { createBoss, startBoss } from './db/queue.ts';
import { startWorkers } from './jobs/workers.ts';

export interface HttpOptions {
  adminToken: string;
  /** Practice users may sign in (the web UI's session cookie); without it only tokens are accepted. */
  sessions: boolean;
  /** Where logs go (default stdout); the tests read them. */
  logStream?: NodeJS.WritableStream;
}

export interface ServerOptions {
  databaseUrl: string;
  poolSize: number;
  /** Applies pending migrations first; a worker, or a test on a migrated template, starts on a current schema. */
  migrate?: boolean;
  /** Any setting left out takes its default (config.ts). */
  settings?: Partial<Settings>;
}

export interface Services {
  db: Db;
  boss: PgBoss;
  log: FastifyBaseLogger;
  /** The migrations applied at start (none unless `migrate`). */
  applied: Migration[];
  /** `graceful: false` (the tests) does not wait for pg-boss's running jobs. */
  stop(options?: { graceful?: boolean }): Promise<void>;
}

export interface Server extends Services {
  app: FastifyInstance;
}

export async function startServer(options: ServerOptions & { http: HttpOptions }): Promise<Server>;
export async function startServer(options: ServerOptions & { http: null }): Promise<Services>;
export async function startServer(options: ServerOptions & { http: HttpOptions | null }): Promise<Server | Services> {
  const settings: Settings = { ...DEFAULTS, ...options.settings };
  const db = createPool(options.databaseUrl, options.poolSize);
  const applied = options.migrate ? await migrate(db) : [];
  const boss = createBoss(options.databaseUrl);
  let workersRunning = false;
  // HTTP requests have a pool of their own, with timeouts (see REQUEST_PATH_TIMEOUTS): a request never waits on a
  // stalled database for long, and requests never take the connections processing needs.
  const requests = options.http ? createPool(options.databaseUrl, options.poolSize, 'requests') : null;
  const app =
    options.http && requests
      ? await buildApp({
          db: requests,
          boss,
          adminToken: options.http.adminToken,
          logLevel: settings.logLevel,
          logStream: options.http.logStream,
          intakeConcurrency: settings.intakeConcurrency,
          intakeThreads: settings.intakeThreads,
          rateLimitPerMinute: settings.rateLimitPerMinute,
          session: options.http.sessions ? sessionAuthenticator(requests) : null,
          ready: () => workersRunning || settings.workerConcurrency === 0,
        })
      : null;
  const log: FastifyBaseLogger = app?.log ?? pino({ level: settings.logLevel });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  await startBoss(boss);
  const workers = await startWorkers({
    db,
    boss,
    concurrency: settings.workerConcurrency,
    heartbeatSeconds: settings.heartbeatSeconds,
    retentionDays: settings.retentionDays,
    receivingTtlHours: settings.receivingTtlHours,
    log,
  });
  workersRunning = true;
  const stop = async ({ graceful = true } = {}) => {
    await app?.close();
    await workers.stop();
    await boss.stop(graceful ? { graceful: true, timeout: 10_000 } : { graceful: false });
    await requests?.end();
    await db.end();
  };
  return app ? { app, db, boss, log, applied, stop } : { db, boss, log, applied, stop };
}
