// A batch's body on the wire (SPEC §3): the 10 MB limit, gzip, media types, and oversize or unauthenticated
// uploads over real HTTP — each refusal leaving nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { buildApp } from '../../src/http/app.ts';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/test-app.ts';
import type { BatchReceipt } from '../../src/contract/imports.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import { fetchedJson, json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { intakeHelpers, LIMIT, NOTHING, clients, sha256hex, paddedBatch } from '../helpers/intake.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});
const { stored, assertNothingStored, newImport } = intakeHelpers(() => t);

test('a body of exactly 10,485,760 bytes is accepted; 10,485,761 bytes → 413 and nothing stored', async () => {
  const { c, id } = await newImport();
  const tooBig = await c.putBatch(id, 1, paddedBatch(LIMIT + 1));
  assertProblem(tooBig, 413, /10,485,760/);
  await assertNothingStored(id);

  const atLimit = paddedBatch(LIMIT);
  const ok = await c.putBatch(id, 1, atLimit);
  assert.equal(ok.statusCode, 202, ok.body.slice(0, 500));
  assert.equal(json<BatchReceipt>(ok).bytes, LIMIT);
  assert.equal(json<BatchReceipt>(ok).sha256, sha256hex(atLimit));
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 1, received: 1 });
});

test('a gzip body (Content-Encoding: gzip) is accepted and stored; the 10 MB limit applies to the decoded body', async () => {
  const { c, id } = await newImport();
  const plain = Buffer.from(JSON.stringify(clients('C-1', 'C-2', 'C-3')));
  const res = await c.putBatch(id, 1, gzipSync(plain), { 'content-encoding': 'gzip' });
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(json<BatchReceipt>(res).bytes, plain.length, 'bytes counts the decoded body');
  assert.equal(json<BatchReceipt>(res).sha256, sha256hex(plain), 'the hash is of the decoded body');
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 3, received: 3 });
  const { rows } = await t.db.query<{ ref: string }>('SELECT ref FROM staged_clients WHERE import_id = $1 ORDER BY pos', [id]);
  assert.deepEqual(
    rows.map((r) => r.ref),
    ['C-1', 'C-2', 'C-3'],
  );

  // Upper-case encoding name, and the decoded-size boundary.
  const atLimit = await c.putBatch(id, 2, gzipSync(paddedBatch(LIMIT)), { 'content-encoding': 'GZIP' });
  assert.equal(atLimit.statusCode, 202, atLimit.body.slice(0, 500));
  assert.equal(json<BatchReceipt>(atLimit).bytes, LIMIT);
  const before = await stored(id);
  const overLimit = gzipSync(paddedBatch(LIMIT + 1));
  assert.ok(overLimit.length < 100_000, 'small on the wire, too large decoded');
  assertProblem(await c.putBatch(id, 3, overLimit, { 'content-encoding': 'gzip' }), 413);
  assert.deepEqual(await stored(id), before);
});

test('a gzip bomb (50 MB of spaces in a few dozen KB) → 413 quickly, nothing stored', async () => {
  const { c, id } = await newImport();
  const bomb = gzipSync(
    Buffer.concat([Buffer.from('{"type":"clients","records":['), Buffer.alloc(50 * 1024 * 1024, 0x20), Buffer.from(']}')]),
    { level: 9 },
  );
  assert.ok(bomb.length < 200_000, `bomb is ${bomb.length} bytes`);
  const started = performance.now();
  const res = await c.putBatch(id, 1, bomb, { 'content-encoding': 'gzip' });
  const ms = performance.now() - started;
  assertProblem(res, 413, /decoded/);
  assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
  await assertNothingStored(id);
  // The server still takes batches afterwards.
  const ok = await c.putBatch(id, 1, clients('C-1'));
  assert.equal(ok.statusCode, 202, ok.body);
});

test('invalid gzip → 400; Content-Encoding br → 415; text/plain or no content type → 415; nothing stored', async () => {
  const { c, id, token } = await newImport();
  const plain = Buffer.from(JSON.stringify(clients('C-1')));
  assertProblem(await c.putBatch(id, 1, plain, { 'content-encoding': 'gzip' }), 400, /gzip/);
  const gz = gzipSync(plain);
  assertProblem(await c.putBatch(id, 1, gz.subarray(0, gz.length - 10), { 'content-encoding': 'gzip' }), 400, /gzip/);
  const corrupt = Buffer.from(gz);
  corrupt[corrupt.length - 8]! ^= 0xff; // CRC mismatch
  assertProblem(await c.putBatch(id, 1, corrupt, { 'content-encoding': 'gzip' }), 400, /gzip/);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-encoding': 'br' }), 415, /br/);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-encoding': 'deflate' }), 415);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-type': 'text/plain' }), 415);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  const noType = await t.app.inject({
    method: 'PUT',
    url: `/v1/imports/${id}/batches/1`,
    headers: { authorization: `Bearer ${token}` },
    payload: plain,
  });
  assertProblem(noType, 415);
  await assertNothingStored(id);
  // A charset parameter is fine.
  const ok = await c.putBatch(id, 1, plain, { 'content-type': 'application/json; charset=utf-8' });
  assert.equal(ok.statusCode, 202, ok.body);
});

test('over real HTTP, oversize bodies (plain, gzip, unauthenticated) get their answer and leave no connection half-read', async () => {
  const { id, token } = await newImport();
  // A second app on the same database, listening on a loopback port: inject cannot show what a socket does.
  const app = await buildApp({ db: t.db, boss: t.boss, adminToken: ADMIN_TOKEN, logLevel: 'silent', ready: () => true });
  let closing: Promise<void> | null = null;
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/imports/${id}/batches/1`;
    const oversize = Buffer.alloc(LIMIT * 2, 0x20);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const attempts: [Record<string, string>, Buffer, number][] = [
      [auth, oversize, 413],
      [{ ...auth, 'content-encoding': 'gzip' }, gzipSync(oversize), 413],
      [{ 'content-type': 'application/json' }, oversize, 401],
      [auth, oversize, 413],
    ];
    for (const [headers, body, status] of attempts) {
      const res = await fetch(url, { method: 'PUT', headers, body, signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, status);
      assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/);
      assert.equal((await fetchedJson<Problem>(res)).status, status);
    }
    // The connection is still usable for a proper batch afterwards.
    const ok = await fetch(url, { method: 'PUT', headers: auth, body: JSON.stringify(clients('C-1')), signal: AbortSignal.timeout(5000) });
    assert.equal(ok.status, 202);
    await ok.arrayBuffer();
    // A graceful shutdown must not wait on a connection whose oversize body was left unread.
    closing = app.close();
    const closedInTime = await Promise.race([closing.then(() => true), delay(3000).then(() => false)]);
    assert.ok(closedInTime, 'app.close() finished within 3 s');
  } finally {
    app.server.closeAllConnections();
    await (closing ?? app.close());
  }
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 1, received: 1 });
});

test('unauthenticated uploads are answered 401 before their body is read: they cannot hold the intake slots', async () => {
  const { id, token } = await newImport();
  const app = await buildApp({
    db: t.db,
    boss: t.boss,
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    ready: () => true,
    intakeConcurrency: 2,
  });
  const stalled: http.ClientRequest[] = [];
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const path = `/v1/imports/${id}/batches/1`;
    // As many never-finishing uploads without a token as the server takes batches at once.
    const answers = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<number>((resolve) => {
            const req = http.request({
              host: '127.0.0.1',
              port,
              path,
              method: 'PUT',
              headers: { 'content-type': 'application/json', 'content-length': '1000000' },
            });
            stalled.push(req);
            req.on('error', () => resolve(-1));
            req.on('response', (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.write('{"type":"clients","records":[');
            setTimeout(() => resolve(0), 1500).unref();
          }),
      ),
    );
    assert.deepEqual(answers, [401, 401], 'refused at once, without waiting for the body');
    const ok = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(clients('C-1')),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(ok.status, 202, await ok.text());
  } finally {
    for (const req of stalled) req.destroy();
    app.server.closeAllConnections();
    await app.close();
  }
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 1, received: 1 });
});
