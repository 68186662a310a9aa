// The `brightclient` CLI against a real listening server: a generated export imports with exactly the errors the
// generator planted (the server's error file equals expected-errors.csv); after the folder is corrected, `retry`
// sends only the failed refs and they all import; the agent fulfils a retry started as the web UI would.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import { createApiClient, follow, sendExport, type ImportView, type RefLists } from '../../packages/sender/src/index.ts';
import { readExport, findExportFiles } from '../../packages/sender/src/cli/export-reader.ts';
import { fetchedJson } from '../helpers/json.ts';
import { createSource } from '../helpers/test-app.ts';
import { countsOf, errorRowsOf, expectedCounts, runCli, startListeningApp, type ListeningApp } from './sender-helpers.ts';

let t: ListeningApp;
let tmp: string;
before(async () => {
  t = await startListeningApp();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-cli-'));
});
after(async () => {
  await t?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

const api = async <T>(token: string, method: string, pathname: string): Promise<T> => {
  const res = await fetch(`${t.url}${pathname}`, { method, headers: { authorization: `Bearer ${token}` } });
  assert.ok(res.ok, `${method} ${pathname}: ${res.status}`);
  return fetchedJson<T>(res);
};
const importIdIn = (stdout: string) => /^Import ([0-9a-f-]{36})/m.exec(stdout)?.[1];
const sizes = (refs: RefLists) => [refs.clients.length, refs.contacts.length, refs.addresses.length];

const dir = () => path.join(tmp, 'export');
let token: string;
let firstImport: string;

test('send: a generated CSV export imports with exactly the expected errors, saved beside the export', { timeout: 60_000 }, async () => {
  token = (await createSource(t.db)).token;
  await writeGeneratedExport(dir(), { clients: 400, seed: 21, invalidRate: 0.04, format: 'csv' });
  const run = await runCli(['send', dir(), '--server', t.url, '--batch-bytes', '60000'], { BRIGHTCLIENT_TOKEN: token });
  assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
  firstImport = importIdIn(run.stdout)!;
  assert.ok(firstImport, run.stdout);
  assert.match(run.stderr, /Uploaded batch 1 \(clients/);
  assert.doesNotMatch(run.stderr, /Following by polling/, 'the processing is followed over Server-Sent Events');
  assert.match(run.stdout, /received +imported +failed +skipped/);

  const view = await api<ImportView>(token, 'GET', `/v1/imports/${firstImport}`);
  assert.deepEqual(countsOf(view), await expectedCounts(dir()));
  assert.ok(view.batches.received > 10, 'the export went up in many batches');

  const errorFile = path.join(dir(), `brightclient-errors-${firstImport}.csv`);
  assert.match(run.stdout, new RegExp(`Error file: ${errorFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const { actual, expected } = await errorRowsOf(errorFile, path.join(dir(), 'expected-errors.csv'));
  assert.ok(expected.length > 50);
  assert.deepEqual(actual, expected);
  assert.ok(!existsSync(path.join(dir(), '.brightclient-send.json')), 'a finished send leaves no state file');
});

test('retry: after the folder is corrected, only the failed refs are sent, and they all import', { timeout: 60_000 }, async () => {
  const failed = await api<RefLists>(token, 'GET', `/v1/imports/${firstImport}/failed-refs`);
  assert.ok(sizes(failed).every((n) => n > 0));
  await writeGeneratedExport(dir(), { clients: 400, seed: 21, invalidRate: 0.04, format: 'csv', corrected: true });

  const run = await runCli(['retry', firstImport, dir(), '--server', t.url, '--token', token]);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, new RegExp(`a retry of ${firstImport}`));
  const retry = await api<ImportView>(token, 'GET', `/v1/imports/${importIdIn(run.stdout)}`);
  assert.deepEqual(retry.requested, failed);
  // Exactly the requested records were sent (nothing else was read into a batch), and every one imported.
  assert.deepEqual(
    Object.values(retry.counts).map((c) => [c.received, c.imported, c.failed, c.skipped]),
    sizes(failed).map((n) => [n, n, 0, 0]),
  );
  assert.deepEqual(sizes(await api<RefLists>(token, 'GET', `/v1/imports/${firstImport}/failed-refs`)), [0, 0, 0]);
});

test('agent: a retry started from the web UI is found and fulfilled from the folder', { timeout: 60_000 }, async () => {
  const source = await createSource(t.db, 'brightbooks', 'Agent Practice');
  const agentDir = path.join(tmp, 'agent-export');
  await writeGeneratedExport(agentDir, { clients: 150, seed: 22, invalidRate: 0.05, format: 'json' });
  const client = createApiClient({ server: t.url, token: source.token });
  const sent = await sendExport(client, readExport(await findExportFiles(agentDir)), { stateFile: null });
  const done = await follow(client, sent.importId, { pollMs: 100, signal: AbortSignal.timeout(30_000) });
  assert.deepEqual(countsOf(done), await expectedCounts(agentDir));

  // Nothing to do yet: the agent looks once and leaves.
  const idle = await runCli(['agent', agentDir, '--once', '--server', t.url, '--token', source.token]);
  assert.equal(idle.code, 0, idle.stderr);
  assert.doesNotMatch(idle.stdout, /Retry/);
  assert.match(idle.stdout, /No retry or activation waits to be fulfilled/);

  // The web UI's retry button makes the same call on the user's behalf.
  const retry = await api<ImportView>(source.token, 'POST', `/v1/imports/${sent.importId}/retry`);
  await writeGeneratedExport(agentDir, { clients: 150, seed: 22, invalidRate: 0.05, format: 'json', corrected: true });
  const run = await runCli(['agent', agentDir, '--once', '--server', t.url], { BRIGHTCLIENT_TOKEN: source.token });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, new RegExp(`Retry ${retry.id} of import ${sent.importId} asks for`));
  assert.match(run.stdout, new RegExp(`Retry ${retry.id} done: every requested record is in BrightClient`));
  const fulfilled = await api<ImportView>(source.token, 'GET', `/v1/imports/${retry.id}`);
  assert.equal(fulfilled.status, 'completed');
  assert.deepEqual(
    Object.values(fulfilled.counts).map((c) => c.failed),
    [0, 0, 0],
  );
  assert.deepEqual(sizes(await api<RefLists>(source.token, 'GET', `/v1/imports/${sent.importId}/failed-refs`)), [0, 0, 0]);
});

test('a run that cannot go ahead exits 1 with a sentence saying why', { timeout: 60_000 }, async () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['send', dir(), '--server', t.url], {}, /No source token: pass --token or set BRIGHTCLIENT_TOKEN/],
    [
      ['send', dir(), '--server', t.url, '--token', 'bcs_00000000000000000000000000000000_nope'],
      {},
      /^brightclient: The server refused the token \(401\): The token is not valid or has been revoked\.\n$/,
    ],
    [['send', path.join(tmp, 'no-such-folder'), '--server', t.url], { BRIGHTCLIENT_TOKEN: token }, /no-such-folder cannot be read/],
    [['retry', '00000000-0000-4000-8000-000000000000', dir(), '--server', t.url], { BRIGHTCLIENT_TOKEN: token }, /Not found \(404\)/],
  ];
  for (const [args, env, message] of cases) {
    const run = await runCli(args, env);
    assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});

test('no server at the address: send says so at once and exits 1, without retrying', { timeout: 30_000 }, async () => {
  const unused = http.createServer();
  await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(unused.address() as net.AddressInfo).port}`;
  await new Promise((resolve) => unused.close(resolve));

  // The CLI's own start is the yardstick (seconds on a loaded machine): retrying with the default backoff would add
  // at least half of 0.5 + 1 + 2 + 4 + … s, beyond the margin long before its ten attempts end.
  const versionStarted = performance.now();
  await runCli(['--version'], {});
  const startMs = performance.now() - versionStarted;
  const started = performance.now();
  const run = await runCli(['send', dir(), '--server', url], { BRIGHTCLIENT_TOKEN: token });
  const ms = performance.now() - started;
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stderr, `brightclient: No BrightClient server answers at ${url} — is it running? Check --server / BRIGHTCLIENT_URL.\n`);
  assert.ok(ms < startMs + 5000, `told after ${Math.round(ms)} ms, the CLI starting in ${Math.round(startMs)} ms`);
  assert.ok(!existsSync(path.join(dir(), '.brightclient-send.json')), 'no state file names an import that was never started');
});
