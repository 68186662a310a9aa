// Starting an import (SPEC §3): the answer, who may start one, and whose imports a token reaches — each
// refusal checked on the wire and in the database (nothing created).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { ADMIN_TOKEN, createSource, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';
import type { ImportList, ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { intakeHelpers, clients } from '../helpers/intake.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});
const { stored, assertNothingStored, totals, newImport } = intakeHelpers(() => t);

test('POST /v1/imports → 201 import object, receiving, counts zero', async () => {
  const { token, practiceId } = await createSource(t.db, 'brightmanager');
  const c = sourceClient(t.app, token);
  const res = await c.startImport();
  assert.equal(res.statusCode, 201, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = json<ImportView>(res);
  assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(body.source, 'brightmanager');
  assert.equal(body.status, 'receiving');
  assert.equal(body.retryOf, null);
  assert.equal(body.requested, null);
  assert.equal(body.completedAt, null);
  assert.equal(body.errorFile, null);
  assert.ok(!Number.isNaN(Date.parse(body.createdAt)));
  assert.deepEqual(body.batches, { received: 0, expected: null });
  assert.equal(body.progress, 0);
  for (const type of ['clients', 'contacts', 'addresses'] as const) {
    assert.equal(body.counts[type].received, 0);
    assert.equal(body.counts[type].imported, 0);
    assert.equal(body.counts[type].failed, 0);
    assert.equal(body.counts[type].skipped, 0);
  }
  const { rows } = await t.db.query('SELECT practice_id, source, status FROM imports WHERE id = $1', [body.id]);
  assert.deepEqual(rows, [{ practice_id: practiceId, source: 'brightmanager', status: 'receiving' }]);

  // The same object through GET.
  const got = await c.get(`/v1/imports/${body.id}`);
  assert.equal(got.statusCode, 200);
  assert.deepEqual(json<ImportView>(got), body);
});

test('POST /v1/imports with no, malformed, wrong, admin or revoked token → 401, nothing created', async () => {
  const { token, practiceId } = await createSource(t.db);
  const importsOf = async () =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM imports WHERE practice_id = $1', [practiceId])).rows[0]!.n;

  // The right id with another secret (bcs_<32 hex id>_<43-character secret>).
  const wrongSecret = token.slice(0, 'bcs_'.length + 32 + 1) + (token.endsWith('A') ? 'B' : 'A').repeat(43);
  const attempts: Record<string, string>[] = [
    {},
    { authorization: '' },
    { authorization: 'Bearer' },
    { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
    { authorization: 'Bearer not-a-token' },
    { authorization: `Bearer ${wrongSecret}` },
    { authorization: `Bearer ${token}x` },
    { authorization: `Bearer ${ADMIN_TOKEN}` },
  ];
  for (const headers of attempts) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/imports', headers, payload: {} });
    assertProblem(res, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
  }
  assert.equal(await importsOf(), 0);

  // The token works… until it is revoked.
  const c = sourceClient(t.app, token);
  const ok = await c.startImport();
  assert.equal(ok.statusCode, 201);
  const { id } = json<ImportView>(ok);
  await t.db.query('UPDATE source_tokens SET revoked_at = now() WHERE practice_id = $1', [practiceId]);
  assertProblem(await c.startImport(), 401, /revoked|not valid/);
  assertProblem(await c.get(`/v1/imports/${id}`), 401);
  assertProblem(await c.putBatch(id, 1, clients('C-1')), 401);
  assertProblem(await c.complete(id, 0), 401);
  assert.equal(await importsOf(), 1);
  await assertNothingStored(id);
});

test('POST /v1/imports with an unknown body field or a bad retryOf → 4xx problem, nothing created', async () => {
  const { token, practiceId } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  assertProblem(await c.startImport({ foo: 1 }), 400);
  assertProblem(await c.startImport({ retryOf: 'not-a-uuid' }), 400, /retryOf/);
  assertProblem(await c.startImport({ retryOf: randomUUID() }), 404);
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM imports WHERE practice_id = $1', [practiceId]);
  assert.equal(rows[0]!.n, 0);
});

test("another practice's import, or another source's of the same practice → 404 on GET, PUT batch, complete", async () => {
  const victim = await newImport('brightmanager');
  const body = clients('C-1', 'C-2');
  const first = await victim.c.putBatch(victim.id, 1, body);
  assert.equal(first.statusCode, 202, first.body);
  const before = await stored(victim.id);

  const other = await createSource(t.db, 'brightmanager', 'Other Practice');
  const sibling = await createSourceToken(t.db, victim.practiceId, 'brightbooks');
  assert.ok(sibling.ok);
  for (const token of [other.token, sibling.value.token]) {
    const c = sourceClient(t.app, token);
    assertProblem(await c.get(`/v1/imports/${victim.id}`), 404);
    // A new batch number, the same bytes as a stored batch (no replayed receipt leaks), and different bytes.
    assertProblem(await c.putBatch(victim.id, 2, clients('X-1')), 404);
    assertProblem(await c.putBatch(victim.id, 1, body), 404);
    assertProblem(await c.putBatch(victim.id, 1, clients('X-1')), 404);
    assertProblem(await c.complete(victim.id, 1), 404);
    const list = await c.get('/v1/imports');
    assert.equal(list.statusCode, 200);
    assert.ok(!json<ImportList>(list).imports.some((i) => i.id === victim.id));
  }
  assert.deepEqual(await stored(victim.id), before);
  const still = await victim.c.get(`/v1/imports/${victim.id}`);
  assert.equal(json<ImportView>(still).status, 'receiving');
  assert.equal(json<ImportView>(still).batches.received, 1);
});

test('non-uuid import id → 400; unknown uuid → 404; nothing stored', async () => {
  const { token } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const before = await totals();
  for (const bad of ['not-a-uuid', '123', 'ffffffff-ffff-ffff-ffff-fffffffffffg']) {
    assertProblem(await c.get(`/v1/imports/${bad}`), 400);
    assertProblem(await c.putBatch(bad, 1, clients('C-1')), 400);
    assertProblem(await c.complete(bad, 1), 400);
  }
  const unknown = randomUUID();
  assertProblem(await c.get(`/v1/imports/${unknown}`), 404);
  assertProblem(await c.putBatch(unknown, 1, clients('C-1')), 404);
  assertProblem(await c.complete(unknown, 1), 404);
  assert.deepEqual(await totals(), before);
});
