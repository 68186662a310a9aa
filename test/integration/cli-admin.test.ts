// The operator commands against a listening server, as an operator runs them: practices and source tokens created,
// listed and revoked, a user's password reset, --version.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { ADMIN_TOKEN, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../bin/brightclient.js');
let t: TestApp;
let server: string;
before(async () => {
  t = await startTestApp({ sessions: true });
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
  assert.equal(json<ImportView>(started).source, 'brightbooks');
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

test('practice list and token list show what an operator lost track of; token revoke shuts the source out', async () => {
  const created = await brightclient('practice', 'create', 'Listed & Co', '--server', server);
  const id = /: ([0-9a-f-]{36})$/m.exec(created.stdout)![1]!;
  const token = (await brightclient('token', 'create', id, '--source', 'brightap', '--server', server)).stdout.trim();
  await brightclient('token', 'create', id, '--source', 'brightmanager', '--server', server);

  const practices = (await brightclient('practice', 'list', '--server', server)).stdout.split('\n');
  assert.match(practices[0]!, /^id +created \(UTC\) +users +sources +name$/);
  assert.ok(
    practices.some((line) => new RegExp(`^${id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +0 +brightap,brightmanager +Listed & Co$`).test(line)),
    practices.join('\n'),
  );

  const tokenId = /^bcs_([0-9a-f]{32})_/.exec(token)![1]!.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  const listed = (await brightclient('token', 'list', id, '--server', server)).stdout;
  assert.match(listed, new RegExp(`^${tokenId} +brightap +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +-$`, 'm'));
  assert.doesNotMatch(listed, /bcs_/, 'no secret is ever listed');

  // Revoked by the token itself (an operator may hold only that); the source is refused from then on.
  const revoked = await brightclient('token', 'revoke', token, '--server', server);
  assert.match(revoked.stdout, new RegExp(`^Revoked token ${tokenId} \\(brightap\\) of practice ${id} at `));
  const refused = await sourceClient(t.app, token).startImport();
  assert.equal(refused.statusCode, 401);
  assert.match(refused.json<{ detail: string }>().detail, /has been revoked/);
  assert.match(
    (await brightclient('token', 'list', id, '--server', server)).stdout,
    new RegExp(`^${tokenId} +brightap +\\S+ \\S+ +\\d{4}-`, 'm'),
  );
  await assert.rejects(
    brightclient('token', 'revoke', '00000000-0000-4000-8000-000000000000', '--server', server),
    /404: There is no source token/,
  );
  // The other token of the practice still works.
  assert.match((await brightclient('practice', 'list', '--server', server)).stdout, new RegExp(`^${id} .* brightmanager +Listed`, 'm'));
});

test('user reset-password: the new password signs in, the old one and its sessions no longer do', async () => {
  const id = /: ([0-9a-f-]{36})$/m.exec((await brightclient('practice', 'create', 'Reset Ltd', '--server', server)).stdout)![1]!;
  await brightclient('user', 'create', id, 'Anna@Reset.example', '--password', 'first password 123', '--server', server);
  const signIn = (password: string) =>
    t.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'anna@reset.example', password } });
  const before = await signIn('first password 123');
  assert.equal(before.statusCode, 200);
  const cookie = before.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  assert.equal((await t.app.inject({ method: 'GET', url: '/v1/imports', headers: { cookie } })).statusCode, 200);

  const reset = await run(process.execPath, [cli, 'user', 'reset-password', 'anna@reset.example', '--server', server], {
    env: { ...process.env, BRIGHTCLIENT_ADMIN_TOKEN: ADMIN_TOKEN, BRIGHTCLIENT_PASSWORD: 'second password 456' },
  });
  assert.match(reset.stdout, /^New password set for anna@reset\.example/);
  assert.equal((await signIn('first password 123')).statusCode, 401);
  assert.equal((await signIn('second password 456')).statusCode, 200);
  assert.equal((await t.app.inject({ method: 'GET', url: '/v1/imports', headers: { cookie } })).statusCode, 401, 'the old session ended');
  await assert.rejects(
    brightclient('user', 'reset-password', 'nobody@reset.example', '--password', 'whatever password 1', '--server', server),
    /404: There is no user with the email nobody@reset\.example/,
  );
});

test('--version prints the version', async () => {
  const { version } = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
  assert.equal((await brightclient('--version')).stdout, `${version}\n`);
});
