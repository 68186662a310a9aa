// The set-up of the tests that SIGKILL real processes (crash-resume, undo-crash, crash-resume-two-sources): a
// fresh database and a pool on it, one port, servers and workers started on them and killed when the file ends
// whatever happened, and the waits those tests share.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { createPool, type Db } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { freePort, kill, startServer, startWorker } from './processes.ts';

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ServerProcesses {
  readonly db: Db;
  readonly port: number;
  /** A server on the test database and the port, ready (healthz answered). */
  server: (extra?: Record<string, string>) => Promise<ChildProcess>;
  /** A standalone `brightclient worker` on the test database. */
  worker: (extra?: Record<string, string>) => ChildProcess;
  /** SIGKILL, and wait for the exit. */
  stop: (child: ChildProcess) => Promise<void>;
  status: (importId: string) => Promise<{ status: string; phase: string; progress: number }>;
  /** Waits until the import has that status; the deadline only ends a hang (a restart took 30 s under load). */
  waitFor: (importId: string, status: string) => Promise<void>;
  /** A worker holds the practice's advisory lock for exactly as long as it processes or undoes an import. */
  working: () => Promise<boolean>;
}

/** Registers the file's before/after hooks; the returned object is usable from the first test on. */
export function useServerProcesses(): ServerProcesses {
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  let port = 0;
  const children = new Set<ChildProcess>();
  before(async () => {
    database = await createTestDatabase();
    db = createPool(database.url, 4);
    port = await freePort();
  });
  after(async () => {
    for (const child of children) await kill(child);
    await db?.end();
    await database?.drop();
  });
  const status = async (importId: string) =>
    (
      await processes.db.query<{ status: string; phase: string; progress: number }>(
        'SELECT status, phase, progress FROM imports WHERE id = $1',
        [importId],
      )
    ).rows[0]!;
  const processes: ServerProcesses = {
    get db() {
      assert.ok(db, 'the database is made in before()');
      return db;
    },
    get port() {
      return port;
    },
    server: async (extra = {}) => {
      const child = await startServer(database!.url, port, extra);
      children.add(child);
      return child;
    },
    worker: (extra = {}) => {
      const child = startWorker(database!.url, extra);
      children.add(child);
      return child;
    },
    stop: async (child) => {
      await kill(child);
      children.delete(child);
    },
    status,
    waitFor: async (importId, wanted) => {
      const deadline = Date.now() + 180_000;
      while ((await status(importId)).status !== wanted) {
        assert.ok(Date.now() < deadline, `import ${importId} did not become ${wanted}`);
        await pause(50);
      }
    },
    working: async () => {
      const { rowCount } = await processes.db.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return (rowCount ?? 0) > 0;
    },
  };
  return processes;
}
