// Completing an import (SPEC §3): gaps and batches beyond batchCount refused, complete repeated, batches after
// complete refused — and on refusal nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
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
const { stored, newImport } = intakeHelpers(() => t);

test('complete with gaps → 409 listing the missing numbers; with a batch beyond batchCount → 409; nothing changes', async () => {
  const { c, id } = await newImport();
  for (const n of [1, 3, 6]) assert.equal((await c.putBatch(id, n, clients(`C-${n}`))).statusCode, 202);

  const gaps = assertProblem(await c.complete(id, 6), 409, /2, 4, 5/);
  assert.deepEqual(gaps.missing, [2, 4, 5]);
  assert.equal(gaps.code, 'batches_missing');
  const none = assertProblem(await c.complete(id, 7), 409);
  assert.deepEqual(none.missing, [2, 4, 5, 7]);

  assert.equal((await c.putBatch(id, 2, clients('C-2'))).statusCode, 202);
  const beyond = assertProblem(await c.complete(id, 3), 409, /beyond/);
  assert.deepEqual(beyond.extra, [6]);
  assert.equal(beyond.code, 'batches_beyond_count');
  const zero = assertProblem(await c.complete(id, 0), 409);
  assert.deepEqual(zero.extra, [1, 2, 3, 6]);

  // Malformed completes.
  assertProblem(await c.post(`/v1/imports/${id}/complete`, {}), 400, /batchCount/);
  assertProblem(await c.post(`/v1/imports/${id}/complete`, { batchCount: -1 }), 400);
  assertProblem(await c.post(`/v1/imports/${id}/complete`, { batchCount: 'many' }), 400);
  assertProblem(await c.post(`/v1/imports/${id}/complete`, { batchCount: 1.5 }), 400);

  const view = json<ImportView>(await c.get(`/v1/imports/${id}`));
  assert.equal(view.status, 'receiving');
  assert.equal(view.batches.expected, null);
  const { rows } = await t.db.query('SELECT status, expected_batches FROM imports WHERE id = $1', [id]);
  assert.deepEqual(rows, [{ status: 'receiving', expected_batches: null }]);
});

test('complete → 202, no longer receiving; the same complete again → 202; another batchCount → 409; batches after → 409, nothing stored', async () => {
  const { c, id, token } = await newImport();
  assert.equal((await c.putBatch(id, 1, clients('C-1', 'C-2'))).statusCode, 202);
  assert.equal((await c.putBatch(id, 2, { type: 'clients', records: [client('C-3', { email: 'bad' })] })).statusCode, 202);

  const done = await c.complete(id, 2);
  assert.equal(done.statusCode, 202, done.body);
  const body = json<ImportView>(done);
  assert.equal(body.id, id);
  assert.notEqual(body.status, 'receiving');
  assert.ok(['processing', 'completed'].includes(body.status));
  assert.deepEqual(body.batches, { received: 2, expected: 2 });
  const got = json<ImportView>(await c.get(`/v1/imports/${id}`));
  assert.notEqual(got.status, 'receiving');

  const again = await c.complete(id, 2);
  assert.equal(again.statusCode, 202, again.body);
  assert.equal(json<ImportView>(again).id, id);
  assert.notEqual(json<ImportView>(again).status, 'receiving');

  assertProblem(await c.complete(id, 3), 409, /batchCount 2/);
  assertProblem(await c.complete(id, 1), 409);

  const before = await stored(id);
  assertProblem(await c.putBatch(id, 3, clients('C-4')), 409, /takes no more batches/);
  assertProblem(await c.putBatch(id, 2, clients('C-5')), 409);
  const after = await stored(id);
  // Processing may add link/duplicate errors of its own; what intake stores must not change.
  assert.deepEqual({ ...after, errors: 0 }, { ...before, errors: 0 });
  assert.equal(after.batches, 2);
  assert.equal(after.received, 3);

  const final = await waitForCompletion(t.app, token, id);
  assert.deepEqual(final.counts.clients, { received: 3, imported: 2, failed: 1, skipped: 0, matched: 0, invalid: 1, stillFailing: 1 });
  assert.equal(final.errorFile, `/v1/imports/${id}/errors`);
  // Still refused once completed, and still idempotent.
  assertProblem(await c.putBatch(id, 3, clients('C-4')), 409);
  assert.equal((await c.complete(id, 2)).statusCode, 202);
  assert.equal((await stored(id)).batches, 2);
});
