// A batch's content (SPEC §3, §4): malformed JSON or shapes refuse the batch; a bad record (not an object,
// prototype keys, characters PostgreSQL cannot store) fails only that record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import type { BatchReceipt } from '../../src/contract/imports.contract.ts';
import type { Row } from '../helpers/database.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { intakeHelpers, NOTHING, client, clients } from '../helpers/intake.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});
const { stored, assertNothingStored, newImport } = intakeHelpers(() => t);

test('invalid JSON → 400 whose detail says where; an empty body → 400; nothing stored', async () => {
  const { c, id } = await newImport();
  const missingComma = '{"type":"clients","records":[{"ref":"x"} {"ref":"y"}]}';
  assertProblem(await c.putBatch(id, 1, missingComma), 400, /not valid JSON.*position 41/);
  assertProblem(await c.putBatch(id, 1, '{"type":"clients","records":[{"ref":"x"}'), 400, /not valid JSON/);
  assertProblem(await c.putBatch(id, 1, '{"type":"clients","records":[{"ref":"x"}]} trailing'), 400, /position 43 \(line 1 column 44\)/);
  // V8 names the offending token (with its context) rather than a position for this kind of error.
  assertProblem(await c.putBatch(id, 1, '{"type": clients}'), 400, /not valid JSON at position 9 \(line 1, column 10\).*'c'/);
  // A raw control character inside a string literal.
  assertProblem(await c.putBatch(id, 1, Buffer.from('{"type":"clients","records":[{"ref":"a\u0000b"}]}')), 400, /position/);
  assertProblem(await c.putBatch(id, 1, ''), 400);
  assertProblem(await c.putBatch(id, 1, '   '), 400);
  await assertNothingStored(id);
});

test('valid JSON of the wrong shape → 400 naming the path; nothing stored', async () => {
  const { c, id } = await newImport();
  const cases: [unknown, RegExp][] = [
    [{ records: [client('C-1')] }, /\/type/],
    [{ type: 'widgets', records: [client('C-1')] }, /\/type/],
    [{ type: 'Clients', records: [client('C-1')] }, /\/type/],
    [{ type: 7, records: [client('C-1')] }, /\/type/],
    [{ type: 'clients' }, /\/records/],
    [{ type: 'clients', records: {} }, /\/records/],
    [{ type: 'clients', records: 'C-1' }, /\/records/],
    [{ type: 'clients', records: [] }, /\/records/],
    [{}, /\/type.*\/records/],
    [[clients('C-1')], /JSON object/],
    ['clients', /JSON object/],
    [null, /JSON object/],
    [42, /JSON object/],
  ];
  for (const [body, detail] of cases) {
    const problem = assertProblem(await c.putBatch(id, 1, JSON.stringify(body)), 400, detail);
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, `errors array for ${JSON.stringify(body)}`);
      for (const e of problem.errors) assert.ok(typeof e.pointer === 'string' && typeof e.detail === 'string');
    }
  }
  await assertNothingStored(id);
});

test('a record that is not an object is a per-record error, not a refusal of the batch', async () => {
  const { c, id } = await newImport();
  const res = await c.putBatch(id, 1, { type: 'clients', records: [client('C-1'), 'C-2', null, [1]] });
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 4, valid: 1, invalid: 3 });
  assert.deepEqual(
    json<BatchReceipt>(res).errors.map((e) => [e.position, e.code]),
    [
      [2, 'not_an_object'],
      [3, 'not_an_object'],
      [4, 'not_an_object'],
    ],
  );
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 4, errors: 3, received: 4, invalid: 3 });
});

test('keys named __proto__, constructor or prototype are dropped like unknown fields, at any depth; the batch is received', async () => {
  const { c, id } = await newImport();
  const body =
    '{"__proto__":{"type":"contacts"},"type":"clients","records":[' +
    '{"ref":"C-1","clientReference":"R","name":"N","clientType":"other","__proto__":{"polluted":true}},' +
    '{"ref":"C-2","clientReference":"R","name":"N","clientType":"other","constructor":{"prototype":{"polluted":true}}},' +
    '{"ref":"C-3","clientReference":"R","name":"N","clientType":"nope","\\u005f_proto__":{"polluted":true},"prototype":1}]}';
  const res = await c.putBatch(id, 1, body);
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 3, valid: 2, invalid: 1 });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  // The kept raw copy of the invalid record holds none of them.
  const { rows } = await t.db.query<{ raw: Row }>('SELECT raw FROM staged_clients WHERE import_id = $1 AND NOT valid', [id]);
  assert.deepEqual(rows, [{ raw: { ref: 'C-3', clientReference: 'R', name: 'N', clientType: 'nope' } }]);
});

test('invalid UTF-8 bytes → 400, nothing stored', async () => {
  const { c, id } = await newImport();
  const head = Buffer.from('{"type":"clients","records":[{"ref":"C-1","clientReference":"R","name":"Caf');
  const tail = Buffer.from('","clientType":"other"}]}');
  for (const bad of [[0xff], [0xc3], [0xe9], [0xed, 0xa0, 0x80] /* an encoded surrogate */, [0xc0, 0xaf] /* overlong */]) {
    assertProblem(await c.putBatch(id, 1, Buffer.concat([head, Buffer.from(bad), tail])), 400, /UTF-8/);
  }
  await assertNothingStored(id);
  // The same with a proper é is fine.
  const ok = await c.putBatch(id, 1, Buffer.concat([head, Buffer.from('é'), tail]));
  assert.equal(ok.statusCode, 202, ok.body);
  const { rows } = await t.db.query('SELECT name FROM staged_clients WHERE import_id = $1', [id]);
  assert.deepEqual(rows, [{ name: 'Café' }]);
});

test('U+0000 or a lone surrogate in a field fails that record on that field; its raw copy is kept with U+FFFD', async () => {
  const { c, id } = await newImport();
  const records = [
    '{"ref":"C-1","clientReference":"R","name":"A\\u0000B","clientType":"other"}',
    '{"ref":"C-2","clientReference":"R","name":"\\ud800","clientType":"other","\\u0000key":"\\udfff"}',
    '{"ref":"C-3","clientReference":"R","name":"N","clientType":"other","ignored":"\\u0000"}', // unknown: not read
    '{"ref":"C-4","clientReference":"R","name":"Sun \\ud83c\\udf1e Ltd","clientType":"other"}', // a proper pair
  ];
  const res = await c.putBatch(id, 1, `{"type":"clients","records":[${records.join(',')}]}`);
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 4, valid: 2, invalid: 2 });
  assert.deepEqual(
    json<BatchReceipt>(res).errors.map((e) => [e.position, e.field, e.code, e.reason]),
    [
      [1, 'name', 'unstorable_character', 'Name contains a character that cannot be stored (U+0000).'],
      [2, 'name', 'unstorable_character', 'Name contains a character that cannot be stored (U+D800, an unpaired surrogate).'],
    ],
  );
  const { rows } = await t.db.query<{ pos: number; name: string | null; record_name: string | null; raw: unknown }>(
    'SELECT pos, name, record_name, raw FROM staged_clients WHERE import_id = $1 ORDER BY pos',
    [id],
  );
  assert.deepEqual(
    rows.map((r) => [r.pos, r.name, r.record_name, r.raw]),
    [
      [1, null, 'A\uFFFDB', { ref: 'C-1', clientReference: 'R', name: 'A\uFFFDB', clientType: 'other' }],
      [2, null, '\uFFFD', { ref: 'C-2', clientReference: 'R', name: '\uFFFD', clientType: 'other', '\uFFFDkey': '\uFFFD' }],
      [3, 'N', 'N', null],
      [4, 'Sun 🌞 Ltd', 'Sun 🌞 Ltd', null],
    ],
  );
});

test('a 10,000-record batch with one record holding U+0000 → 202, 9,999 staged valid, one error row', async () => {
  const { c, id } = await newImport();
  const records = Array.from({ length: 10_000 }, (_, i) => client(`C-${i + 1}`));
  records[4_321] = client('C-4322', { clientReference: 'REF\u0000' });
  const res = await c.putBatch(id, 1, { type: 'clients', records });
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 10_000, valid: 9_999, invalid: 1 });
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 10_000, errors: 1, received: 10_000, invalid: 1 });
  const { rows } = await t.db.query('SELECT pos, ref, field, code FROM record_errors WHERE import_id = $1', [id]);
  assert.deepEqual(rows, [{ pos: 4_322, ref: 'C-4322', field: 'clientReference', code: 'unstorable_character' }]);
  const valid = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staged_clients WHERE import_id = $1 AND valid', [id]);
  assert.equal(valid.rows[0]!.n, 9_999);
});
