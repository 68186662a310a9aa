// A batch that asks for more errors than memory holds: 100,000 empty records are all received, invalid, with every
// field error stored; one that asks for millions is refused whole.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BatchReceipt, ImportView } from '../../src/contract/imports.contract.ts';
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

test('a batch of 100,000 empty records is received with every record invalid; one asking for over a million errors → 400', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Empty Records Practice');
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  // ~300 KB asking for 600,000 field errors (six required fields each): all of them are kept, none costs memory it lacks.
  const empty = await c.putBatch(id, 1, `{"type":"addresses","records":[${Array(100_000).fill('{}').join(',')}]}`);
  assert.equal(empty.statusCode, 202, empty.body.slice(0, 300));
  const receipt = empty.json<BatchReceipt>();
  assert.deepEqual(receipt.records, { received: 100_000, valid: 0, invalid: 100_000 });
  assert.equal(receipt.errors.length, 100);
  assert.equal(receipt.errorsTruncated, true);
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM record_errors WHERE import_id = $1', [id]);
  assert.equal(rows[0]!.n, 600_000);

  // 3,500 contacts of 100 empty links each (1 MB, under the 500,000 objects and arrays) ask for 700,000 errors: refused whole.
  const links = `{"clients":[${Array(100).fill('{}').join(',')}]}`;
  const flood = await c.putBatch(id, 2, `{"type":"contacts","records":[${Array(3_500).fill(links).join(',')}]}`);
  const problem = assertProblem(flood, 400, /more than 600,000 failing fields/);
  assert.equal(problem.code, 'too_many_errors');
  assert.equal(json<ImportView>(await c.get(`/v1/imports/${id}`)).batches.received, 1);
});
