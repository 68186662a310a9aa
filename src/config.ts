// The environment, parsed once into a typed Config. A bad value stops start-up with one clear sentence.
import { availableParallelism } from 'node:os';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** External PostgreSQL; when absent the server runs an embedded one under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Operator token; when absent one is generated and kept under `dataDir`. */
  adminToken: string | null;
  logLevel: string;
  /** Import jobs this process runs at once; 0 runs the API only (workers elsewhere). */
  workerConcurrency: number;
  /** How often a processing job heartbeats; an import silent for three beats is resumed by another worker. */
  heartbeatSeconds: number;
  /** Batches parsed and validated at once; more get 503 with Retry-After. */
  intakeConcurrency: number;
  /** Threads that parse and check batches (intake-pool.ts). */
  intakeThreads: number;
  /** Days the staged records of a completed import are kept; its counts and error file stay. */
  retentionDays: number;
  /** Requests a minute per source token, session or client address; more get 429 with Retry-After. */
  rateLimitPerMinute: number;
  /** Hours a receiving import may go without a batch before it expires (cancelled, reason `expired`). */
  receivingTtlHours: number;
}

/** What a process runs with besides where and who: the part of Config the server, workers, tests and benchmarks share. */
export type Settings = Pick<
  Config,
  | 'logLevel'
  | 'workerConcurrency'
  | 'heartbeatSeconds'
  | 'intakeConcurrency'
  | 'intakeThreads'
  | 'retentionDays'
  | 'rateLimitPerMinute'
  | 'receivingTtlHours'
>;

/** Every default, written once: loadConfig falls back to these, and so do the tests and the benchmarks. */
export const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  dataDir: 'data',
  logLevel: 'info',
  workerConcurrency: 2,
  heartbeatSeconds: 10,
  intakeConcurrency: 4,
  // One core is left to the main thread and PostgreSQL: with a thread per core, the two checks of a sender's two
  // uploads in flight took both cores from the event loop that holds and stages them, and each thread's heap is
  // memory held for good (measured at 1,000,000 records on 2 cores, 2 threads → 1: server peak 438 → 364 MB, the
  // ack and the end to end within the runs' noise; docs/performance.md).
  intakeThreads: Math.max(1, availableParallelism() - 1),
  retentionDays: 30,
  rateLimitPerMinute: 1200,
  receivingTtlHours: 24,
} as const satisfies Settings & Pick<Config, 'port' | 'host' | 'dataDir'>;

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not '${raw}'.`);
  }
  return value;
}

/** Hours as a decimal (`0.5`, or `0.001` so a test can expire an import within seconds). */
function hours(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > 24 * 365) {
    throw new ConfigError(`${name} must be a number of hours above 0 (decimals allowed, at most ${24 * 365}), not '${raw}'.`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a postgres:// or postgresql:// URL.`);
  }
  const adminToken = env.BRIGHTCLIENT_ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 24) {
    throw new ConfigError('BRIGHTCLIENT_ADMIN_TOKEN must be at least 24 characters long.');
  }
  const logLevel = env.LOG_LEVEL?.trim() || DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'.`);
  }
  return {
    port: integer(env, 'PORT', DEFAULTS.port, 0, 65535),
    host: env.HOST?.trim() || DEFAULTS.host,
    databaseUrl,
    dataDir: path.resolve(env.BRIGHTCLIENT_DATA_DIR?.trim() || DEFAULTS.dataDir),
    adminToken,
    logLevel,
    workerConcurrency: integer(env, 'BRIGHTCLIENT_WORKERS', DEFAULTS.workerConcurrency, 0, 32),
    heartbeatSeconds: integer(env, 'BRIGHTCLIENT_HEARTBEAT_SECONDS', DEFAULTS.heartbeatSeconds, 1, 300),
    intakeConcurrency: integer(env, 'BRIGHTCLIENT_INTAKE_CONCURRENCY', DEFAULTS.intakeConcurrency, 1, 64),
    intakeThreads: integer(env, 'BRIGHTCLIENT_INTAKE_THREADS', DEFAULTS.intakeThreads, 1, 64),
    retentionDays: integer(env, 'BRIGHTCLIENT_RETENTION_DAYS', DEFAULTS.retentionDays, 0, 3650),
    rateLimitPerMinute: integer(env, 'BRIGHTCLIENT_RATE_LIMIT', DEFAULTS.rateLimitPerMinute, 1, 1_000_000),
    receivingTtlHours: hours(env, 'BRIGHTCLIENT_RECEIVING_TTL_HOURS', DEFAULTS.receivingTtlHours),
  };
}
