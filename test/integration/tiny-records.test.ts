// A 10 MB body of tiny records — millions of {} or {"ref":"x"} — once ran an intake thread out of memory while it
// was parsed, and the server with it. Such a body is refused 400 too_many_records before it is parsed; a batch at
// the limit is received; intake goes on serving other practices' batches.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BatchReceipt, ImportView } from '../../src/contract/imports.contract.ts';
import { MAX_CONTAINERS_PER_BATCH, MAX_RECORDS_PER_BATCH } from '../../src/intake/parse-batch.ts';
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

/** A body of just under 10 MB: `record` again and again. */
function tenMegabytesOf(record: string, type = 'clients'): string {
  const head = `{"type":"${type}","records":[`;
  const n = Math.floor((10_485_760 - head.length - 2) / (record.length + 1));
  return `${head}${Array(n).fill(record).join(',')}]}`;
}

test('10 MB of tiny records → 400 too_many_records, nothing stored; a batch at the limit is received; intake goes on', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Tiny Records');
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  const floods: [string, string][] = [
    ['{}', 'clients'],
    ['{"ref":"x"}', 'clients'],
    ['[]', 'clients'],
    ['{"clients":[]}', 'contacts'],
    ['1', 'addresses'],
  ];
  for (const [n, [record, type]] of floods.entries()) {
    const body = tenMegabytesOf(record, type);
    assert.ok(body.length > 10_000_000 && body.length <= 10_485_760);
    const problem = assertProblem(await c.putBatch(id, n + 1, body), 400, /a batch holds at most 100,000 records/);
    assert.equal(problem.code, 'too_many_records', record);
  }
  // 100,001 records of one object each: under the container limit, over the record limit.
  const over = `{"type":"clients","records":[${Array(MAX_RECORDS_PER_BATCH + 1)
    .fill('{}')
    .join(',')}]}`;
  assert.equal(assertProblem(await c.putBatch(id, 6, over), 400, /100,001 records/).code, 'too_many_records');

  // At the limits: 100,000 records of five objects each, every one failing its required fields.
  const wide = `{${Array.from({ length: 4 }, (_, k) => `"f${k}":{}`).join(',')}}`;
  const atLimit = `{"type":"clients","records":[${Array(MAX_RECORDS_PER_BATCH).fill(wide).join(',')}]}`;
  const received = await c.putBatch(id, 7, atLimit);
  assert.equal(received.statusCode, 202, received.body.slice(0, 300));
  assert.deepEqual(json<BatchReceipt>(received).records, { received: MAX_RECORDS_PER_BATCH, valid: 0, invalid: MAX_RECORDS_PER_BATCH });
  assert.equal(MAX_CONTAINERS_PER_BATCH, 5 * MAX_RECORDS_PER_BATCH);
  assert.equal(json<ImportView>(await c.get(`/v1/imports/${id}`)).batches.received, 1);

  // Another practice's batch is received as usual, and the first one's floods left nothing behind.
  const other = await createSource(t.db, 'brightmanager', 'Other Practice');
  const o = sourceClient(t.app, other.token);
  const started = json<ImportView>(await o.startImport());
  const ok = await o.putBatch(started.id, 1, {
    type: 'clients',
    records: [{ ref: 'C-1', clientReference: 'OK01', name: 'Fine Ltd', clientType: 'limited_company' }],
  });
  assert.equal(ok.statusCode, 202, ok.body);
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM batches WHERE import_id = $1', [id]);
  assert.equal(rows[0]!.n, 1);
});
