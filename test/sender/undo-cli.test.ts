// `brightclient undo <importId>` against a real listening server: the preview first, nothing undone without a
// confirmation (no terminal to ask on: --yes is needed), with --yes followed until undone; a refused undo says why.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import type { ImportView } from '../../packages/sender/src/index.ts';
import { fetchedJson } from '../helpers/json.ts';
import { createSource } from '../helpers/test-app.ts';
import { runCli, startListeningApp, type ListeningApp } from './sender-helpers.ts';

let t: ListeningApp;
let tmp: string;
before(async () => {
  t = await startListeningApp();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-undo-'));
});
after(async () => {
  await t?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

const importIdIn = (stdout: string) => /^Import ([0-9a-f-]{36})/m.exec(stdout)?.[1];
const statusOf = async (token: string, id: string) =>
  (await fetchedJson<ImportView>(await fetch(`${t.url}/v1/imports/${id}`, { headers: { authorization: `Bearer ${token}` } }))).status;

test(
  'undo: preview, refused without --yes off a terminal, then undone with --yes; a second send imports again',
  { timeout: 90_000 },
  async () => {
    const { token } = await createSource(t.db, 'brightmanager', 'CLI Undo Practice');
    const env = { BRIGHTCLIENT_TOKEN: token, BRIGHTCLIENT_URL: t.url };
    const dir = path.join(tmp, 'export');
    await writeGeneratedExport(dir, { clients: 40, seed: 5, invalidRate: 0, format: 'csv' });
    const sent = await runCli(['send', dir], env);
    assert.equal(sent.code, 0, `${sent.stdout}\n${sent.stderr}`);
    const id = importIdIn(sent.stdout)!;

    const asked = await runCli(['undo', id], env);
    assert.equal(asked.code, 1, `${asked.stdout}\n${asked.stderr}`);
    assert.match(asked.stdout, new RegExp(`Undo of import ${id}:\\n  removes 40 clients, \\d+ contacts, \\d+ addresses`));
    assert.match(asked.stdout, /^ {4}clients: .+; .+ …$/m, 'names some of what it removes');
    assert.match(asked.stderr, /nothing was undone; pass --yes/);
    assert.equal(await statusOf(token, id), 'completed');

    const undone = await runCli(['undo', id, '--yes'], env);
    assert.equal(undone.code, 0, `${undone.stdout}\n${undone.stderr}`);
    assert.match(undone.stdout, new RegExp(`Import ${id} is undone: 40 clients, \\d+ contacts, \\d+ addresses removed`));
    assert.equal(await statusOf(token, id), 'undone');

    const again = await runCli(['undo', id, '--yes'], env);
    assert.equal(again.code, 1);
    assert.match(again.stdout, /cannot run: Import .+ is undone; only a completed import can be undone\./);

    await fs.rm(path.join(dir, `.brightclient-send.json`), { force: true });
    const resent = await runCli(['send', dir], env);
    assert.equal(resent.code, 0, `${resent.stdout}\n${resent.stderr}`);
    assert.match(resent.stdout, /40 +40 +0 +0/, 'the 40 clients import again');
  },
);
