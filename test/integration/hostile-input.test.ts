// A corpus of hostile and malformed requests, table-driven. Each gets the expected answer (a problem document for
// every refusal), the server stays healthy, and nothing is staged or written anywhere. (What one record holds —
// U+0000, __proto__ keys — fails that record only, never the batch: intake-body-content.test.ts.)
import { backgroundStagingDone } from '../../src/intake/stage-batch.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { BatchReceipt, ImportView } from '../../src/contract/imports.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import { json } from '../helpers/json.ts';
import { ADMIN_TOKEN, createSource, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let token: string;
let importId: string;
let completedId: string;
before(async () => {
  t = await startTestApp();
  token = (await createSource(t.db)).token;
  const start = () => t.app.inject({ method: 'POST', url: '/v1/imports', headers: { authorization: `Bearer ${token}` }, payload: {} });
  importId = json<ImportView>(await start()).id;
  completedId = json<ImportView>(await start()).id;
  await t.app.inject({
    method: 'POST',
    url: `/v1/imports/${completedId}/complete`,
    headers: { authorization: `Bearer ${token}` },
    payload: { batchCount: 0 },
  });
});
after(async () => {
  await t?.close();
});

const TABLES = [
  'practices',
  'source_tokens',
  'imports',
  'batches',
  'staged_clients',
  'staged_contacts',
  'staged_contact_links',
  'staged_addresses',
  'record_errors',
  'source_records',
  'clients',
  'contacts',
  'client_contacts',
  'addresses',
];
async function rowCounts(): Promise<Record<string, number>> {
  const { rows } = await t.db.query<Record<string, number>>(
    `SELECT ${TABLES.map((n) => `(SELECT count(*) FROM ${n})::int AS ${n}`).join(', ')}`,
  );
  return rows[0]!;
}

interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PUT';
  url: string | (() => string);
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  /** Auth other than the source token: 'none', 'admin' or a literal Authorization header. */
  auth?: string;
}

const batch = (records: unknown, type: unknown = 'clients') => JSON.stringify({ type, records });
const client = { ref: 'C-1', clientReference: 'R1', name: 'Acme Ltd', clientType: 'llp' };
const put = (body: string | Buffer, headers: Record<string, string> = {}, n: string | number = 1): Partial<Case> => ({
  method: 'PUT',
  url: () => `/v1/imports/${importId}/batches/${n}`,
  body,
  headers: { 'content-type': 'application/json', ...headers },
});
const big = (bytes: number) => {
  const base = batch([client]);
  return base.slice(0, -1) + ' '.repeat(bytes - base.length) + '}';
};

const cases: Case[] = [
  // Bodies that are not a batch
  { name: 'truncated JSON', ...put(batch([client]).slice(0, 40)), status: 400 } as Case,
  {
    name: 'JSON nested a million levels deep',
    ...put(`{"type":"clients","records":[${'['.repeat(1e6)}${']'.repeat(1e6)}]}`),
    status: 400,
  } as Case,
  {
    name: 'deep nesting inside a record',
    ...put(batch([{ ...client, name: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown }])),
    status: 400,
  } as Case,
  { name: '10 MB + 1 byte', ...put(big(10 * 1024 * 1024 + 1)), status: 413 } as Case,
  {
    name: 'gzip bomb (50 MB of zeros)',
    ...put(gzipSync(Buffer.alloc(50 * 1024 * 1024)), { 'content-encoding': 'gzip' }),
    status: 413,
  } as Case,
  {
    name: 'gzip header but garbage inside',
    ...put(Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(100, 7)]), { 'content-encoding': 'gzip' }),
    status: 400,
  } as Case,
  { name: 'Content-Encoding deflate', ...put(batch([client]), { 'content-encoding': 'deflate' }), status: 415 } as Case,
  {
    name: 'invalid UTF-8',
    ...put(Buffer.concat([Buffer.from('{"type":"clients","records":[{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')])),
    status: 400,
  } as Case,
  { name: 'UTF-16 body', ...put(Buffer.from(batch([client]), 'utf16le')), status: 400 } as Case,
  {
    name: 'raw NUL byte in the body',
    ...put(Buffer.from(batch([{ ...client, name: 'A\u0000B' }]).replace('\\u0000', '\u0000'))),
    status: 400,
  } as Case,
  { name: 'empty body', ...put(''), status: 400 } as Case,
  { name: 'JSON null', ...put('null'), status: 400 } as Case,
  { name: 'a top-level array', ...put(JSON.stringify([client])), status: 400 } as Case,
  { name: 'type is a number', ...put(batch([client], 5)), status: 400 } as Case,
  { name: 'type with a Cyrillic с', ...put(batch([client], 'сlients')), status: 400 } as Case,
  { name: 'records is a string', ...put(batch('C-1')), status: 400 } as Case,
  { name: 'records missing', ...put('{"type":"clients"}'), status: 400 } as Case,
  { name: 'no records', ...put(batch([])), status: 400 } as Case,
  { name: '100,001 records', ...put(batch(Array(100_001).fill(0))), status: 400 } as Case,
  // Wrong media types
  { name: 'text/plain', ...put(batch([client]), { 'content-type': 'text/plain' }), status: 415 } as Case,
  { name: 'application/xml', ...put('<batch/>', { 'content-type': 'application/xml' }), status: 415 } as Case,
  { name: 'multipart form', ...put('--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }), status: 415 } as Case,
  // Batch numbers and ids
  { name: 'batch 0', ...put(batch([client]), {}, 0), status: 400 } as Case,
  { name: 'batch -1', ...put(batch([client]), {}, -1), status: 400 } as Case,
  { name: 'batch 2^53', ...put(batch([client]), {}, '9007199254740993'), status: 400 } as Case,
  { name: 'batch abc', ...put(batch([client]), {}, 'abc'), status: 400 } as Case,
  { name: 'batch 1e3', ...put(batch([client]), {}, '1e3'), status: 400 } as Case,
  { name: 'batch 0x10', ...put(batch([client]), {}, '0x10'), status: 400 } as Case,
  { name: 'import id not a uuid', method: 'GET', url: '/v1/imports/42', status: 400 },
  { name: 'SQL in the import id', method: 'GET', url: `/v1/imports/${encodeURIComponent("1' OR '1'='1")}`, status: 400 },
  { name: 'import id of 10,000 characters', method: 'GET', url: `/v1/imports/${'a'.repeat(10_000)}`, status: 414 },
  { name: 'unknown import uuid', method: 'GET', url: '/v1/imports/00000000-0000-4000-8000-000000000000', status: 404 },
  // Normalised to GET /admin/practices (which exists): the operator token is still asked for.
  { name: 'path traversal', method: 'GET', url: '/v1/imports/../../admin/practices', status: 401 },
  {
    name: 'a batch to a completed import',
    ...put(batch([client])),
    url: () => `/v1/imports/${completedId}/batches/1`,
    status: 409,
  },
  // Other bodies and queries
  {
    name: 'complete without batchCount',
    method: 'POST',
    url: () => `/v1/imports/${importId}/complete`,
    body: '{}',
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  {
    name: 'complete with batchCount -1',
    method: 'POST',
    url: () => `/v1/imports/${importId}/complete`,
    body: '{"batchCount":-1}',
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  {
    name: 'complete with a huge batchCount',
    method: 'POST',
    url: () => `/v1/imports/${importId}/complete`,
    body: '{"batchCount":1e12}',
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  {
    name: 'complete with batchCount "many"',
    method: 'POST',
    url: () => `/v1/imports/${importId}/complete`,
    body: '{"batchCount":"many"}',
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  {
    name: 'complete with an unknown field',
    method: 'POST',
    url: () => `/v1/imports/${importId}/complete`,
    body: '{"batchCount":0,"force":true}',
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  {
    name: 'start an import with an array body',
    method: 'POST',
    url: '/v1/imports',
    body: '[]',
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  {
    name: 'retryOf of 1 MB',
    method: 'POST',
    url: '/v1/imports',
    body: JSON.stringify({ retryOf: 'x'.repeat(1024 * 1024) }),
    headers: { 'content-type': 'application/json' },
    status: 413,
  },
  {
    name: 'retryOf with SQL',
    method: 'POST',
    url: '/v1/imports',
    body: JSON.stringify({ retryOf: "'; DROP TABLE imports; --" }),
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  { name: 'imports filtered by an unknown status', method: 'GET', url: '/v1/imports?status=deleted', status: 400 },
  { name: 'imports since not-a-date', method: 'GET', url: '/v1/imports?since=yesterday', status: 400 },
  { name: 'imports limit 0', method: 'GET', url: '/v1/imports?limit=0', status: 400 },
  { name: 'imports limit 10^9', method: 'GET', url: '/v1/imports?limit=1000000000', status: 400 },
  { name: 'search of 10,000 characters', method: 'GET', url: `/v1/clients?search=${'a'.repeat(10_000)}`, status: 400 },
  { name: 'a forged cursor', method: 'GET', url: '/v1/clients?cursor=eyJpZCI6IicgT1IgMT0xIn0', status: 400 },
  { name: 'error file in an unknown format', method: 'GET', url: () => `/v1/imports/${importId}/errors?format=xml`, status: 400 },
  // Credentials
  { name: 'no Authorization', method: 'GET', url: '/v1/imports', auth: 'none', status: 401 },
  { name: 'Basic auth', method: 'GET', url: '/v1/imports', auth: 'Basic YWRtaW46YWRtaW4=', status: 401 },
  { name: 'a 10 KB bearer token', method: 'GET', url: '/v1/imports', auth: `Bearer ${'x'.repeat(10_000)}`, status: 401 },
  {
    name: 'a token-shaped forgery',
    method: 'GET',
    url: '/v1/imports',
    auth: `Bearer bcs_${'0'.repeat(32)}_${'A'.repeat(43)}`,
    status: 401,
  },
  { name: 'SQL as a token', method: 'GET', url: '/v1/imports', auth: "Bearer ' OR 1=1 --", status: 401 },
  { name: 'the admin token on /v1', method: 'GET', url: '/v1/imports', auth: 'admin', status: 401 },
  {
    name: 'a source token on /admin',
    method: 'POST',
    url: '/admin/practices',
    body: '{"name":"X"}',
    headers: { 'content-type': 'application/json' },
    status: 401,
  },
  {
    name: 'admin: practice name of 1 MB',
    method: 'POST',
    url: '/admin/practices',
    auth: 'admin',
    body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }),
    headers: { 'content-type': 'application/json' },
    status: 413,
  },
  {
    name: 'admin: practice name of 201 characters',
    method: 'POST',
    url: '/admin/practices',
    auth: 'admin',
    body: JSON.stringify({ name: 'x'.repeat(201) }),
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
  {
    name: 'admin: a source slug with a path',
    method: 'POST',
    url: '/admin/practices/00000000-0000-4000-8000-000000000000/tokens',
    auth: 'admin',
    body: '{"source":"../../etc"}',
    headers: { 'content-type': 'application/json' },
    status: 400,
  },
];

test(`${cases.length} hostile requests: the expected 4xx problem, a healthy server, nothing stored`, async () => {
  assert.ok(cases.length >= 40);
  const before = await rowCounts();
  for (const c of cases) {
    const authorization = c.auth === 'none' ? undefined : c.auth === 'admin' ? `Bearer ${ADMIN_TOKEN}` : (c.auth ?? `Bearer ${token}`);
    const res = await t.app.inject({
      method: c.method ?? 'GET',
      url: typeof c.url === 'function' ? c.url() : c.url,
      headers: { ...(authorization ? { authorization } : {}), ...c.headers },
      ...(c.body !== undefined ? { payload: c.body } : {}),
    });
    assert.equal(res.statusCode, c.status, `${c.name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/, c.name);
    const problem = json<Problem>(res);
    assert.equal(problem.status, c.status, c.name);
    assert.ok(typeof problem.title === 'string' && typeof problem.detail === 'string' && problem.detail.length > 0, c.name);
    assert.ok(!/at .*\.ts:\d+|stack|SELECT |INSERT /.test(problem.detail), `${c.name} leaks internals: ${problem.detail}`);
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200, `healthy after ${c.name}`);
  }
  assert.deepEqual(await rowCounts(), before, 'nothing staged or written');
});

test('SQL-looking strings in records are data, stored as sent', async () => {
  const name = "Robert'); DROP TABLE clients; --";
  const res = await t.app.inject({
    ...(put(batch([{ ...client, ref: 'X-1', name }]), {}, 7) as object),
    url: `/v1/imports/${importId}/batches/7`,
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  assert.equal(res.statusCode, 202, res.body);
  await backgroundStagingDone(importId);
  const { rows } = await t.db.query('SELECT name FROM staged_clients WHERE ref = $1', ['X-1']);
  assert.deepEqual(rows, [{ name }]);
});

test('a 1 MB string in a record is that record’s error, not the batch’s', async () => {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/v1/imports/${importId}/batches/8`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: batch([
      { ...client, ref: 'Y-1', name: 'x'.repeat(1024 * 1024) },
      { ...client, ref: 'Y-2' },
    ]),
  });
  assert.equal(res.statusCode, 202, res.body);
  const receipt = json<BatchReceipt>(res);
  assert.deepEqual(receipt.records, { received: 2, valid: 1, invalid: 1 });
  assert.equal(receipt.errors[0]?.field, 'name');
  assert.equal(receipt.errors[0]?.code, 'too_long');
  assert.ok(receipt.errors[0].reason.length < 300, 'the reason does not quote a megabyte');
});
