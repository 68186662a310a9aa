// Limits on what a source holds open: at most 20 imports receiving per source (the next start is refused at once,
// and the sender reports it without retrying), and one open retry per import, even for concurrent requests.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { MAX_RECEIVING_IMPORTS_PER_SOURCE } from '../../src/imports/import.service.ts';
import { ApiError, createApiClient } from '../../packages/sender/src/api-client.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ workers: 1 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await t?.close();
});

test('a source holds at most 20 imports receiving; concurrent starts cannot pass the cap; the sender reports it at once', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Open Imports Practice');
  const c = sourceClient(t.app, token);
  const starts = await Promise.all(Array.from({ length: MAX_RECEIVING_IMPORTS_PER_SOURCE + 5 }, () => c.startImport()));
  const statuses = starts.map((r) => r.statusCode).sort();
  assert.equal(statuses.filter((s) => s === 201).length, MAX_RECEIVING_IMPORTS_PER_SOURCE, statuses.join(','));
  for (const refused of starts.filter((r) => r.statusCode !== 201)) {
    assert.equal(assertProblem(refused, 409, /still receiving batches/).code, 'too_many_open_imports');
  }
  // Another source of the same practice, and another practice, are not affected.
  assert.equal(
    (await sourceClient(t.app, (await createSource(t.db, 'brightbooks', 'Other Practice')).token).startImport()).statusCode,
    201,
  );

  const port = (t.app.server.address() as AddressInfo).port;
  const sender = createApiClient({ server: `http://127.0.0.1:${port}`, token, retry: { attempts: 5, baseMs: 1000 } });
  const started = Date.now();
  await assert.rejects(
    sender.startImport(),
    (error: unknown) => error instanceof ApiError && error.problem.code === 'too_many_open_imports',
  );
  assert.ok(Date.now() - started < 1000, 'refused without retrying');

  // Completing one gives a place back.
  const first = json<ImportView>(starts.find((r) => r.statusCode === 201)!);
  assert.equal((await c.complete(first.id, 0)).statusCode, 202);
  assert.equal((await c.startImport()).statusCode, 201);
});

test('two concurrent retries of one import: one starts, the other gets 409 retry_already_open', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Retry Practice');
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  const bad = { ref: 'C-1', clientReference: 'C1', name: 'One Ltd', clientType: 'not a type' };
  assert.equal((await c.putBatch(id, 1, { type: 'clients', records: [bad] })).statusCode, 202);
  assert.equal((await c.complete(id, 1)).statusCode, 202);
  await waitForCompletion(t.app, token, id);

  const [a, b] = await Promise.all([c.post(`/v1/imports/${id}/retry`), c.post(`/v1/imports/${id}/retry`)]);
  const statuses = [a.statusCode, b.statusCode].sort();
  assert.deepEqual(statuses, [201, 409]);
  const [created, refused] = a.statusCode === 201 ? [a, b] : [b, a];
  const problem = assertProblem(refused, 409, /already has a retry in progress/);
  assert.equal(problem.code, 'retry_already_open');
  assert.equal(problem.retry, json<ImportView>(created).id);
  // Once that retry is no longer open, another may start.
  assert.equal((await c.complete(json<ImportView>(created).id, 0)).statusCode, 202);
  await waitForCompletion(t.app, token, json<ImportView>(created).id);
  assert.equal((await c.post(`/v1/imports/${id}/retry`)).statusCode, 201);
});
