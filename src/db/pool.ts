// One pg Pool per process, and the one way to run statements together: withTransaction.
import pg from 'pg';

export type Db = pg.Pool;
export type Tx = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

// Dates stay 'YYYY-MM-DD' strings (no time-zone shifts); bigint counts become numbers (they stay far below 2^53).
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * The request path's bounds on a stalled database (a lock held on a table, an overloaded or unreachable server):
 * an HTTP request waits at most this long for a connection, a lock or a statement, then answers 503 instead of
 * hanging as long as the stall. Processing has a pool of its own without them: its statements are long by design.
 */
export const REQUEST_PATH_TIMEOUTS = {
  connectionTimeoutMillis: 3_000,
  lock_timeout: 2_000,
  statement_timeout: 10_000,
  idle_in_transaction_session_timeout: 60_000,
} as const;

export type PoolRole = 'requests' | 'work';

/**
 * For the rest of the caller's transaction, a statement may run for up to two minutes: a request-path transaction
 * that COPYs a whole batch (up to 100,000 staged rows and 600,000 error rows) is slow by size, not by a stall.
 * Waiting for locks stays bounded (lock_timeout).
 */
export async function allowBulkStatements(tx: Tx): Promise<void> {
  await tx.query(`SET LOCAL statement_timeout = '120s'`);
}

export function createPool(connectionString: string, max = 10, role: PoolRole = 'work'): Db {
  const timeouts = role === 'requests' ? REQUEST_PATH_TIMEOUTS : {};
  const pool = new pg.Pool({ connectionString, max, application_name: `brightclient-${role}`, ...timeouts });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor may a checked-out client losing it between two queries (its 'error' event has no listener then): the loss
  // surfaces as the rejection of its next query, and the pool discards the client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Runs `work` in a transaction; `begin` may set it up further (see db/tenant.ts), in the same round trip. */
export async function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const tx = await db.connect();
  try {
    await tx.query(begin);
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    tx.release();
  }
}

const UNAVAILABLE_CODES = new Set([
  '55P03', // lock_not_available: lock_timeout
  '57014', // query_canceled: statement_timeout
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  'ECONNREFUSED',
  'ECONNRESET',
]);

/** Whether an error means the database did not answer in time or went away (a 503), not a bug (a 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated/.test(error.message);
}
