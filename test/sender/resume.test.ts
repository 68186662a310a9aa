// Ctrl-C in the middle of `brightclient send`, then the same command again: the send resumes into the same import
// from its state file, batches the server acknowledged are not sent again, and the import ends with exact counts.
// A folder changed in between is detected before anything is sent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import type { ImportView, SendState } from '../../packages/sender/src/index.ts';
import { fetchedJson } from '../helpers/json.ts';
import { createSource } from '../helpers/test-app.ts';
import {
  countsOf,
  errorRowsOf,
  expectedCounts,
  runCli,
  startListeningApp,
  startProxy,
  type ListeningApp,
  type Proxy,
} from './sender-helpers.ts';

let t: ListeningApp;
let proxy: Proxy;
let tmp: string;
before(async () => {
  t = await startListeningApp();
  // Every answer held back a little, so that the upload takes long enough to be interrupted midway.
  proxy = await startProxy(t.url, () => 'pass', 150);
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-resume-'));
});
after(async () => {
  await proxy?.close();
  await t?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

const readState = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8')) as SendState;
const batchNumbers = (log: Proxy['log']) => log.filter((r) => r.method === 'PUT').map((r) => Number(/\/batches\/(\d+)$/.exec(r.path)![1]));

test('SIGINT mid-send, then the same command again: resumes without re-sending acknowledged batches', { timeout: 60_000 }, async () => {
  const { token } = await createSource(t.db);
  const dir = path.join(tmp, 'export');
  await writeGeneratedExport(dir, { clients: 400, seed: 41, invalidRate: 0.03 });
  const stateFile = path.join(dir, '.brightclient-send.json');
  const send = (extra: string[] = []) => ['send', dir, '--server', proxy.url, '--token', token, ...extra];

  const first = await runCli(send(['--batch-bytes', '30000']), {}, (child) => {
    const watch = setInterval(() => {
      void readState(stateFile).then(
        (state) => {
          if (Object.keys(state.batches).length >= 4) {
            clearInterval(watch);
            child.kill('SIGINT');
          }
        },
        () => {}, // not written yet
      );
    }, 25);
    child.on('exit', () => clearInterval(watch));
  });
  assert.equal(first.code, 130, `${first.stdout}\n${first.stderr}`);
  assert.match(first.stderr, /Interrupted\. .* run the same command again to resume/);
  const interrupted = await readState(stateFile);
  const acknowledged = Object.keys(interrupted.batches).map(Number);
  assert.equal(interrupted.batchCount, null);
  assert.ok(acknowledged.length >= 4);
  const atInterrupt = await fetchedJson<ImportView>(
    await fetch(`${t.url}/v1/imports/${interrupted.importId}`, { headers: { authorization: `Bearer ${token}` } }),
  );
  assert.equal(atInterrupt.status, 'receiving');
  assert.ok(atInterrupt.batches.received >= acknowledged.length);

  // The export changed meanwhile: refused before anything is sent.
  const clientsFile = path.join(dir, 'clients.ndjson');
  const original = await fs.readFile(clientsFile, 'utf8');
  await fs.writeFile(clientsFile, original.replace('"clientType":"', '"clientType":" '));
  const sentBefore = proxy.log.length;
  const changed = await runCli(send());
  assert.equal(changed.code, 1, changed.stderr);
  assert.match(changed.stderr, new RegExp(`The export changed since import ${interrupted.importId} was started: batch 1 \\(clients\\)`));
  assert.deepEqual(batchNumbers(proxy.log.slice(sentBefore)), []);
  await fs.writeFile(clientsFile, original);

  // Put back as it was: the same command resumes (with the batch size of the first run, as the state file says).
  const resumedFrom = proxy.log.length;
  const second = await runCli(send());
  assert.equal(second.code, 2, `${second.stdout}\n${second.stderr}`);
  assert.match(
    second.stderr,
    new RegExp(`Resuming import ${interrupted.importId}: ${acknowledged.length} batches were acknowledged before`),
  );
  assert.match(second.stdout, new RegExp(`^Import ${interrupted.importId}: completed`, 'm'));
  const resent = batchNumbers(proxy.log.slice(resumedFrom));
  assert.deepEqual(
    resent.filter((n) => acknowledged.includes(n)),
    [],
    'acknowledged batches are not sent again',
  );
  assert.ok(resent.length > 0);

  const view = await fetchedJson<ImportView>(
    await fetch(`${t.url}/v1/imports/${interrupted.importId}`, { headers: { authorization: `Bearer ${token}` } }),
  );
  assert.deepEqual(countsOf(view), await expectedCounts(dir));
  assert.equal(view.batches.received, view.batches.expected);
  const { actual, expected } = await errorRowsOf(
    path.join(dir, `brightclient-errors-${view.id}.csv`),
    path.join(dir, 'expected-errors.csv'),
  );
  assert.deepEqual(actual, expected);
  assert.ok(!existsSync(stateFile));
});

test(
  '--no-wait, then the same command again: follows the import already sent instead of starting another',
  { timeout: 60_000 },
  async () => {
    const { token } = await createSource(t.db, 'brightap', 'No-wait Practice');
    const dir = path.join(tmp, 'no-wait');
    await writeGeneratedExport(dir, { clients: 60, seed: 42, invalidRate: 0 });
    const args = ['send', dir, '--server', t.url, '--token', token];
    const first = await runCli([...args, '--no-wait']);
    assert.equal(first.code, 0, first.stderr);
    const id = /^Import ([0-9a-f-]{36}) is sent/m.exec(first.stdout)?.[1];
    assert.ok(id, first.stdout);
    assert.ok(existsSync(path.join(dir, '.brightclient-send.json')));

    const second = await runCli(args);
    assert.equal(second.code, 0, `${second.stdout}\n${second.stderr}`);
    assert.match(second.stderr, new RegExp(`Import ${id} had been sent in full before; following it`));
    assert.match(second.stdout, new RegExp(`^Import ${id}: completed`, 'm'));
    assert.ok(!existsSync(path.join(dir, '.brightclient-send.json')));
  },
);
