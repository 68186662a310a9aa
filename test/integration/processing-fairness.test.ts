// Imports of one practice are processed one at a time whatever their source (SPEC §9), and an import waiting for
// its practice never holds a worker: another practice's small import goes ahead of a big one's queue.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ workers: 2 });
});
after(async () => {
  await t?.close();
});

async function upload(token: string, batches: object[]): Promise<string> {
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  for (let n = 1; n <= batches.length; n++) assert.equal((await c.putBatch(id, n, batches[n - 1]!)).statusCode, 202);
  return id;
}

test('two big imports of one practice (two sources) and a small one of another, on 2 workers', async () => {
  const big = await createSource(t.db, 'brightmanager', 'Big Practice');
  const books = await createSourceToken(t.db, big.practiceId, 'brightbooks');
  if (!books.ok) throw new Error(books.failure.detail);
  const small = await createSource(t.db, 'brightmanager', 'Small Practice');

  // Two sources of one practice send different exports (their refs are their own either way).
  const [bigExport, booksExport] = [generatePractice({ clients: 3000, seed: 1 }), generatePractice({ clients: 3000, seed: 2 })];
  const first = await upload(big.token, toBatches(bigExport.records, 5000));
  const second = await upload(books.value.token, toBatches(booksExport.records, 5000));
  const tiny = await upload(small.token, toBatches(generatePractice({ clients: 1 }).records, 10));
  const complete = async (token: string, id: string) => {
    const view = json<ImportView>(await sourceClient(t.app, token).get(`/v1/imports/${id}`));
    assert.equal((await sourceClient(t.app, token).complete(id, view.batches.received)).statusCode, 202);
  };
  await complete(big.token, first);
  await new Promise((r) => setTimeout(r, 300)); // the first is being processed
  await complete(books.value.token, second);
  await new Promise((r) => setTimeout(r, 300)); // the second has been picked up by the other worker
  await complete(small.token, tiny);

  const [a, b, c] = await Promise.all([
    waitForCompletion(t.app, big.token, first, 120_000),
    waitForCompletion(t.app, books.value.token, second, 120_000),
    waitForCompletion(t.app, small.token, tiny, 120_000),
  ]);
  const at = (view: ImportView) => Date.parse(view.completedAt!);
  assert.ok(at(c) < at(a), `the small import of another practice completed first (${at(a) - at(c)} ms before the first big one)`);

  // One at a time within the practice: the second's first step came after the first had completed.
  const { rows } = await t.db.query<{ import_id: string; first_at: Date; last_at: Date }>(
    'SELECT import_id, min(at) AS first_at, max(at) AS last_at FROM import_log WHERE import_id = ANY($1) GROUP BY import_id',
    [[first, second]],
  );
  const span = new Map(rows.map((r) => [r.import_id, r]));
  const [earlier, later] = [span.get(first)!, span.get(second)!].sort((x, y) => x.first_at.getTime() - y.first_at.getTime());
  assert.ok(earlier!.last_at <= later!.first_at, 'the practice’s imports did not overlap');
  assert.equal(a.counts.clients.received, bigExport.expected.counts.clients.received);
  assert.equal(b.counts.clients.received, booksExport.expected.counts.clients.received);
});
