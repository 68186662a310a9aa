// A stalled database (here: a lock held on `imports`, as a long migration or a stuck transaction would) answers the
// request path with a 503 problem within seconds instead of hanging for as long as the stall; /healthz too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createSource, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ workers: 0 });
});
after(async () => {
  await t?.close();
});

test('with a lock held on imports, reads and /healthz answer 503 within 5 s, and 200 once it is released', async () => {
  const { token } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());

  const stall = new pg.Client({ connectionString: t.database.url });
  await stall.connect();
  await stall.query('BEGIN');
  await stall.query('LOCK TABLE imports IN ACCESS EXCLUSIVE MODE');
  const release = setTimeout(() => void stall.query('ROLLBACK'), 15_000); // bounds the test if requests hang
  try {
    const timed = async <T>(work: () => Promise<T>) => {
      const started = Date.now();
      const value = await work();
      return { value, ms: Date.now() - started };
    };
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () => timed(() => c.get(`/v1/imports/${id}`))),
      timed(() => t.app.inject({ method: 'GET', url: '/healthz' })),
    ]);
    for (const { value, ms } of answers) {
      assert.ok(ms < 5000, `answered after ${ms} ms`);
      assertProblem(value, 503, /database/);
      assert.ok(Number(value.headers['retry-after']) > 0);
    }
  } finally {
    clearTimeout(release);
    await stall.query('ROLLBACK');
    await stall.end();
  }
  assert.equal((await c.get(`/v1/imports/${id}`)).statusCode, 200);
  assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
});
