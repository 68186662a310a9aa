// Operators' API (SPEC §3 "Admin"): practices and source tokens, and the published OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, createSource, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';
import type { Practice, SourceToken } from '../../src/contract/admin.contract.ts';
import type { ImportList, ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ workers: 0 });
});
after(async () => {
  await t?.close();
});

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

const postPractice = (payload: unknown, headers: Record<string, string> = ADMIN) =>
  t.app.inject({ method: 'POST', url: '/admin/practices', headers, payload: payload as object });

const postToken = (practiceId: string, payload: unknown, headers: Record<string, string> = ADMIN) =>
  t.app.inject({ method: 'POST', url: `/admin/practices/${practiceId}/tokens`, headers, payload: payload as object });

async function practiceCount(): Promise<number> {
  return (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM practices')).rows[0]!.n;
}

async function tokenCount(practiceId?: string): Promise<number> {
  const { rows } = practiceId
    ? await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_tokens WHERE practice_id = $1', [practiceId])
    : await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_tokens');
  return rows[0]!.n;
}

async function newPractice(name = 'Admin Test Practice'): Promise<string> {
  const res = await postPractice({ name });
  assert.equal(res.statusCode, 201, res.body);
  return json<Practice>(res).id;
}

// ---------------------------------------------------------------------------------------------------------------
// Practices

test('POST /admin/practices without or with a wrong operator token → 401, nothing created', async () => {
  const { token: sourceToken } = await createSource(t.db);
  const before = await practiceCount();
  const attempts: Record<string, string>[] = [
    {},
    { authorization: '' },
    { authorization: 'Bearer' },
    { authorization: `Bearer ${ADMIN_TOKEN}x` },
    { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
    { authorization: 'Bearer wrong-token' },
    { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
    { authorization: ADMIN_TOKEN },
    { authorization: `Bearer ${sourceToken}` },
  ];
  for (const headers of attempts) {
    const res = await postPractice({ name: 'Intruder' }, headers);
    assertProblem(res, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
  }
  assert.equal(await practiceCount(), before);
  const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM practices WHERE name = 'Intruder'");
  assert.equal(rows[0]!.n, 0);
});

test('POST /admin/practices with an empty, blank, too long, missing or non-object name → 400, nothing created', async () => {
  const before = await practiceCount();
  const bodies: unknown[] = [
    { name: '' },
    { name: '   ' },
    { name: '\t\n' },
    { name: 'x'.repeat(201) },
    {},
    { name: null },
    { name: 'Fine', extra: true },
    { nom: 'Fine' },
  ];
  for (const body of bodies) assertProblem(await postPractice(body), 400);
  // A body that is not JSON, or not an object.
  assertProblem(
    await t.app.inject({
      method: 'POST',
      url: '/admin/practices',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      payload: '{"name":',
    }),
    400,
  );
  assertProblem(
    await t.app.inject({
      method: 'POST',
      url: '/admin/practices',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      payload: '["x"]',
    }),
    400,
  );
  const text = await t.app.inject({
    method: 'POST',
    url: '/admin/practices',
    headers: { ...ADMIN, 'content-type': 'text/plain' },
    payload: 'x',
  });
  assertProblem(text, text.statusCode === 415 ? 415 : 400);
  assert.equal(await practiceCount(), before);
});

test('POST /admin/practices → 201 {id, name}, stored (name trimmed); 200 characters is the maximum', async () => {
  const res = await postPractice({ name: '  Smith & Jones LLP  ' });
  assert.equal(res.statusCode, 201, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = json<Practice>(res);
  assert.deepEqual(Object.keys(body).sort(), ['id', 'name']);
  assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(body.name, 'Smith & Jones LLP');
  const { rows } = await t.db.query('SELECT name FROM practices WHERE id = $1', [body.id]);
  assert.deepEqual(rows, [{ name: 'Smith & Jones LLP' }]);

  const long = await postPractice({ name: 'é'.repeat(200) });
  assert.equal(long.statusCode, 201, long.body);
  assert.equal(json<Practice>(long).name, 'é'.repeat(200));

  // Two practices of the same name are two practices.
  const twin = await postPractice({ name: 'Smith & Jones LLP' });
  assert.equal(twin.statusCode, 201);
  assert.notEqual(json<Practice>(twin).id, body.id);
});

// ---------------------------------------------------------------------------------------------------------------
// Source tokens

test('POST /admin/practices/{id}/tokens → 201 {token} starting bcs_, stored only as a 32-byte hash, and it works', async () => {
  const practiceId = await newPractice();
  const res = await postToken(practiceId, { source: 'brightbooks' });
  assert.equal(res.statusCode, 201, res.body);
  const body = json<SourceToken>(res);
  assert.deepEqual(Object.keys(body), ['token']);
  const { token } = body;
  assert.match(token, /^bcs_/);
  assert.ok(token.length >= 40, 'long enough to be unguessable');

  const { rows } = await t.db.query<{ source: string; revoked_at: Date | null; secret_hash: Buffer }>(
    'SELECT * FROM source_tokens WHERE practice_id = $1',
    [practiceId],
  );
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(row.source, 'brightbooks');
  assert.equal(row.revoked_at, null);
  assert.ok(Buffer.isBuffer(row.secret_hash));
  assert.equal(row.secret_hash.length, 32);
  // Neither the token nor its secret part (nor the token's hash) appears anywhere in the row.
  // bcs_<32 hex id>_<secret> (the secret is base64url, so it may itself hold '_').
  assert.match(token, /^bcs_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
  const secret = token.slice('bcs_'.length + 32 + 1);
  assert.equal(secret.length, 43);
  // JSON.stringify hands the replacer a Buffer already as its toJSON(): { type: 'Buffer', data: [...] }.
  const isBufferJson = (v: unknown): v is { type: 'Buffer'; data: number[] } =>
    typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer';
  const rowText = JSON.stringify(row, (_k, v: unknown) => (isBufferJson(v) ? Buffer.from(v.data).toString('latin1') : v));
  assert.ok(!rowText.includes(secret), 'the secret is not stored');
  assert.ok(!rowText.includes(token), 'the token is not stored');
  assert.ok(!row.secret_hash.includes(Buffer.from(secret)), 'the secret is not inside the hash column');
  assert.ok(row.secret_hash.equals(createHash('sha256').update(secret).digest()), 'secret_hash is the SHA-256 of the secret');
  // Searched as text across every column as PostgreSQL renders it, too.
  const asText = await t.db.query<{ line: string; hash_text: string }>(
    `SELECT t::text AS line, encode(secret_hash, 'escape') AS hash_text FROM source_tokens t WHERE practice_id = $1`,
    [practiceId],
  );
  assert.ok(!asText.rows[0]!.line.includes(secret));
  assert.ok(!asText.rows[0]!.hash_text.includes(secret));

  // The token works for the import API, for that practice and source.
  const c = sourceClient(t.app, token);
  const started = await c.startImport();
  assert.equal(started.statusCode, 201, started.body);
  assert.equal(json<ImportView>(started).source, 'brightbooks');
  const imported = await t.db.query('SELECT practice_id, source FROM imports WHERE id = $1', [json<ImportView>(started).id]);
  assert.deepEqual(imported.rows, [{ practice_id: practiceId, source: 'brightbooks' }]);

  // Each issue is a new token; both work.
  const second = await postToken(practiceId, { source: 'brightbooks' });
  assert.equal(second.statusCode, 201);
  assert.notEqual(json<SourceToken>(second).token, token);
  assert.equal((await sourceClient(t.app, json<SourceToken>(second).token).startImport()).statusCode, 201);
  assert.equal(await tokenCount(practiceId), 2);
});

test('POST /admin/practices/{id}/tokens for an unknown practice → 404; a non-uuid id → 400; nothing stored', async () => {
  const before = await tokenCount();
  assertProblem(await postToken(randomUUID(), { source: 'brightmanager' }), 404);
  assertProblem(await postToken('not-a-uuid', { source: 'brightmanager' }), 400);
  assert.equal(await tokenCount(), before);
});

test('POST /admin/practices/{id}/tokens with an invalid source slug → 400; without the operator token → 401; nothing stored', async () => {
  const practiceId = await newPractice();
  const bad: unknown[] = [
    { source: 'Bright Manager' },
    { source: '' },
    { source: 'BrightManager' },
    { source: 'b' },
    { source: '1brightmanager' },
    { source: 'bright manager' },
    { source: 'brightmanager\n' },
    { source: 'x'.repeat(41) },
    { source: 'brightmanager', extra: 1 },
    {},
  ];
  for (const body of bad) assertProblem(await postToken(practiceId, body), 400);
  assertProblem(await postToken(practiceId, { source: 'brightmanager' }, {}), 401);
  assertProblem(await postToken(practiceId, { source: 'brightmanager' }, { authorization: 'Bearer nope' }), 401);
  assert.equal(await tokenCount(practiceId), 0);

  // Lower-case slugs with digits, '-' and '_' are fine.
  for (const source of ['brightmanager', 'bright-books_2', 'ab']) {
    assert.equal((await postToken(practiceId, { source })).statusCode, 201, source);
  }
  assert.equal(await tokenCount(practiceId), 3);
});

test("a token of one practice never reaches another practice's imports", async () => {
  const a = await newPractice('Practice A');
  const b = await newPractice('Practice B');
  const tokenA = json<SourceToken>(await postToken(a, { source: 'brightmanager' })).token;
  const tokenB = json<SourceToken>(await postToken(b, { source: 'brightmanager' })).token;
  const importA = json<ImportView>(await sourceClient(t.app, tokenA).startImport()).id;
  assertProblem(await sourceClient(t.app, tokenB).get(`/v1/imports/${importA}`), 404);
  assert.deepEqual(json<ImportList>(await sourceClient(t.app, tokenB).get('/v1/imports')).imports, []);
});

// ---------------------------------------------------------------------------------------------------------------
// API documentation

/** The part of an OpenAPI 3 document these tests read. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', { responses: Record<string, unknown> }>>>;
}

test('GET /docs serves the API docs and /docs/json an OpenAPI document listing the batch upload', async () => {
  const ui = await t.app.inject({ method: 'GET', url: '/docs' });
  assert.ok([200, 301, 302].includes(ui.statusCode), `GET /docs → ${ui.statusCode}`);

  const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  const doc = json<OpenApiDocument>(res);
  assert.match(doc.openapi, /^3\./);
  const { paths } = doc;
  const batch = paths['/v1/imports/{id}/batches/{n}'];
  assert.ok(batch, `paths: ${Object.keys(paths).join(', ')}`);
  assert.ok(batch.put, 'the batch upload is a PUT');
  for (const status of ['202', '200', '413']) assert.ok(batch.put.responses[status], `documents ${status}`);
  for (const p of ['/v1/imports', '/v1/imports/{id}', '/v1/imports/{id}/complete', '/admin/practices', '/admin/practices/{id}/tokens']) {
    assert.ok(paths[p], `documents ${p}`);
  }
  assert.ok(paths['/v1/imports']?.post && paths['/v1/imports'].get);
  // The document does not leak the operator token.
  assert.ok(!res.body.includes(ADMIN_TOKEN));
});
