// `brightclient practice create` and `token create` against a listening server, as an operator runs them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { ADMIN_TOKEN, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../bin/brightclient.js');
let t: TestApp;
let server: string;
before(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  server = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
after(async () => {
  await t?.close();
});

const brightclient = (...args: string[]) =>
  run(process.execPath, [cli, ...args], { env: { ...process.env, BRIGHTCLIENT_ADMIN_TOKEN: ADMIN_TOKEN } });

test('an operator creates a practice and a source token that then starts imports', async () => {
  const practice = await brightclient('practice', 'create', 'Smith & Co', '--server', server);
  const id = /: ([0-9a-f-]{36})$/m.exec(practice.stdout)?.[1];
  assert.ok(id, practice.stdout);
  const token = (await brightclient('token', 'create', id, '--source', 'brightbooks', '--server', server)).stdout.trim();
  assert.match(token, /^bcs_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
  const started = await sourceClient(t.app, token).startImport();
  assert.equal(started.statusCode, 201);
  assert.equal(started.json().source, 'brightbooks');
});

test('refusals exit 1 with the server’s reason', async () => {
  await assert.rejects(
    brightclient('token', 'create', '00000000-0000-4000-8000-000000000000', '--source', 'brightbooks', '--server', server),
    (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /404: There is no practice/);
      return true;
    },
  );
  await assert.rejects(
    run(process.execPath, [cli, 'practice', 'create', 'X', '--server', server, '--admin-token', 'wrong-token-wrong-token-wrong'], {}),
    (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /401/);
      return true;
    },
  );
  await assert.rejects(brightclient('practice', 'create', 'X', '--server', 'http://127.0.0.1:9'), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /Cannot reach http:\/\/127\.0\.0\.1:9/);
    return true;
  });
});
