// Listing imports (SPEC §3): newest first, the filters, and the practice's and the source's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import type { ImportList, ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { intakeHelpers, client, clients } from '../helpers/intake.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});
const { newImport } = intakeHelpers(() => t);

test('GET /v1/imports: newest first, filters status/hasFailures/since/limit, scoped to the practice and the source', async () => {
  const { token, practiceId } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const start = async () => json<ImportView>(await c.startImport()).id;

  const clean = await start();
  assert.equal((await c.putBatch(clean, 1, clients('C-1'))).statusCode, 202);
  assert.equal((await c.complete(clean, 1)).statusCode, 202);
  await waitForCompletion(t.app, token, clean);

  const failed = await start();
  assert.equal((await c.putBatch(failed, 1, { type: 'clients', records: [client('C-2', { clientType: 'x' })] })).statusCode, 202);
  assert.equal((await c.complete(failed, 1)).statusCode, 202);
  const failedView = await waitForCompletion(t.app, token, failed);

  const open = await start();

  // Other sources of the same practice, and other practices, have imports of their own.
  const sibling = await createSourceToken(t.db, practiceId, 'brightbooks');
  assert.ok(sibling.ok);
  const siblingClient = sourceClient(t.app, sibling.value.token);
  const siblingImport = json<ImportView>(await siblingClient.startImport()).id;
  const stranger = await newImport();

  const ids = async (query = '') => {
    const res = await c.get(`/v1/imports${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return json<ImportList>(res).imports.map((i) => i.id);
  };
  assert.deepEqual(await ids(), [open, failed, clean]);
  assert.deepEqual(await ids('?status=receiving'), [open]);
  assert.deepEqual(await ids('?status=completed'), [failed, clean]);
  assert.deepEqual(await ids('?status=processing'), []);
  assert.deepEqual(await ids('?hasFailures=true'), [failed]);
  assert.deepEqual(await ids('?hasFailures=false'), [clean]);
  assert.deepEqual(await ids('?status=completed&hasFailures=true'), [failed]);
  assert.deepEqual(await ids(`?since=${encodeURIComponent(failedView.createdAt)}`), [open, failed]);
  assert.deepEqual(await ids(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), []);
  assert.deepEqual(await ids('?since=2000-01-01T00:00:00Z'), [open, failed, clean]);
  assert.deepEqual(await ids('?limit=1'), [open]);

  // The listed objects are full import objects.
  const listed = json<ImportList>(await c.get('/v1/imports?hasFailures=true')).imports[0];
  assert.equal(listed?.status, 'completed');
  assert.equal(listed.errorFile, `/v1/imports/${failed}/errors`);
  assert.equal(listed.counts.clients.failed, 1);

  const siblingIds = json<ImportList>(await siblingClient.get('/v1/imports')).imports.map((i) => i.id);
  assert.deepEqual(siblingIds, [siblingImport]);
  const strangerIds = json<ImportList>(await stranger.c.get('/v1/imports')).imports.map((i) => i.id);
  assert.deepEqual(strangerIds, [stranger.id]);

  assertProblem(await c.get('/v1/imports?status=done'), 400, /status/);
  assertProblem(await c.get('/v1/imports?since=yesterday'), 400, /since/);
  assertProblem(await c.get('/v1/imports?hasFailures=maybe'), 400);
  assertProblem(await c.get('/v1/imports?limit=0'), 400);
  assertProblem(await c.get('/v1/imports?limit=201'), 400);
  assertProblem(await t.app.inject({ method: 'GET', url: '/v1/imports' }), 401);
});
