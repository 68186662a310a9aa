// The whole server in-process on a fresh database: the app (driven with inject), pg-boss and the workers.
import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import type { Settings } from '../../src/config.ts';
import type { Db } from '../../src/db/pool.ts';
import { createPractice, createSourceToken } from '../../src/practices/practice.service.ts';
import { startServer } from '../../src/server.ts';
import { backgroundStagingDone } from '../../src/intake/stage-batch.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { json } from './json.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  boss: PgBoss;
  database: TestDatabase;
  close(): Promise<void>;
}

/** `sessions`: practice users may sign in (the web UI's session cookie is accepted); `settings` override the defaults. */
export async function startTestApp(options: { workers?: number; sessions?: boolean; settings?: Partial<Settings> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const settings: Partial<Settings> = {
    logLevel: process.env.LOG_LEVEL ?? 'silent',
    workerConcurrency: options.workers ?? 1,
    ...options.settings,
  };
  const server = await startServer({
    databaseUrl: database.url,
    poolSize: 10,
    settings,
    http: { adminToken: ADMIN_TOKEN, sessions: options.sessions ?? false },
  });
  return {
    app: server.app,
    db: server.db,
    boss: server.boss,
    database,
    close: async () => {
      await server.stop({ graceful: false });
      await database.drop();
    },
  };
}

/** A practice with a source token, as an operator would set it up. */
export async function createSource(
  db: Db,
  source = 'brightmanager',
  name = 'Test Practice',
): Promise<{ practiceId: string; token: string }> {
  const practice = await createPractice(db, name);
  const outcome = await createSourceToken(db, practice.id, source);
  if (!outcome.ok) throw new Error(outcome.failure.detail);
  return { practiceId: practice.id, token: outcome.value.token };
}

/** A practice with a token for each of `sources`: by default the two products whose exports overlap (SPEC §9). */
export async function createSources(
  db: Db,
  name: string,
  sources: readonly string[] = ['brightmanager', 'brightbooks'],
): Promise<{ practiceId: string; tokens: Record<string, string> }> {
  const practiceId = (await createPractice(db, name)).id;
  const tokens: Record<string, string> = {};
  for (const source of sources) {
    const outcome = await createSourceToken(db, practiceId, source);
    if (!outcome.ok) throw new Error(outcome.failure.detail);
    tokens[source] = outcome.value.token;
  }
  return { practiceId, tokens };
}

/** A small client for the import API with one token. */
export function sourceClient(app: FastifyInstance, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  return {
    startImport: async (body: object = {}) => app.inject({ method: 'POST', url: '/v1/imports', headers: auth, payload: body }),
    // The answer once the batch is staged too (the 202 comes when it is held: stage-batch.ts), so a test can read
    // its staged rows at once.
    putBatch: async (id: string, n: number | string, body: object | string | Buffer, headers: Record<string, string> = {}) => {
      const res = await app.inject({
        method: 'PUT',
        url: `/v1/imports/${id}/batches/${n}`,
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });
      await backgroundStagingDone(id);
      return res;
    },
    complete: async (id: string, batchCount: number) =>
      app.inject({ method: 'POST', url: `/v1/imports/${id}/complete`, headers: auth, payload: { batchCount } }),
    get: async (url: string) => app.inject({ method: 'GET', url, headers: auth }),
    post: async (url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: auth, payload }),
  };
}

/** Waits until the import completes (the workers run in this process). */
export async function waitForCompletion(app: FastifyInstance, token: string, id: string, timeoutMs = 20_000): Promise<ImportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/v1/imports/${id}`, headers: { authorization: `Bearer ${token}` } });
    const body = json<ImportView>(res);
    if (body.status === 'completed') return body;
    if (Date.now() > deadline) throw new Error(`import ${id} did not complete: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
