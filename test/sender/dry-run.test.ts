// `brightclient send --dry-run` against a real listening server: a generated export with planted errors is
// processed dry — the would-be summary is printed, the would-be error file saved beside the export and equal to
// what the generator planted, nothing written — and the same send for real then imports with the same counts and
// a byte-identical error file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import type { ImportView } from '../../packages/sender/src/index.ts';
import { fetchedJson } from '../helpers/json.ts';
import { createSource } from '../helpers/test-app.ts';
import { errorRowsOf, expectedCounts, runCli, startListeningApp, type ListeningApp } from './sender-helpers.ts';

let t: ListeningApp;
let tmp: string;
before(async () => {
  t = await startListeningApp();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-dry-'));
});
after(async () => {
  await t?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

const importIdIn = (stdout: string) => /^Import ([0-9a-f-]{36})/m.exec(stdout)?.[1];
const countsIn = (view: ImportView) => Object.values(view.counts).map((c) => [c.received, c.imported, c.failed, c.skipped, c.matched]);

test('send --dry-run prints what would be imported, saves the would-be error file and writes nothing', { timeout: 90_000 }, async () => {
  const { practiceId, token } = await createSource(t.db);
  const dir = path.join(tmp, 'export');
  await writeGeneratedExport(dir, { clients: 300, seed: 5, invalidRate: 0.04, format: 'csv' });
  const get = async (id: string) =>
    fetchedJson<ImportView>(await fetch(`${t.url}/v1/imports/${id}`, { headers: { authorization: `Bearer ${token}` } }));
  const centralRows = async () =>
    (
      await t.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM clients WHERE practice_id = $1) + (SELECT count(*) FROM contacts WHERE practice_id = $1)
              + (SELECT count(*) FROM addresses WHERE practice_id = $1) + (SELECT count(*) FROM source_records WHERE practice_id = $1) AS n`,
        [practiceId],
      )
    ).rows[0]!.n;

  const dry = await runCli(['send', dir, '--dry-run', '--server', t.url, '--batch-bytes', '60000'], { BRIGHTCLIENT_TOKEN: token });
  assert.equal(dry.code, 2, `${dry.stdout}\n${dry.stderr}`);
  const dryId = importIdIn(dry.stdout.split('\n').slice(1).join('\n'))!;
  assert.ok(dryId, dry.stdout);
  const dryView = await get(dryId);
  assert.equal(dryView.dryRun, true);
  const expected = await expectedCounts(dir);
  const wouldImport = Object.values(expected).reduce((n, [, imported]) => n + imported, 0);
  const received = Object.values(expected).reduce((n, [r]) => n + r, 0);
  assert.match(
    dry.stdout,
    new RegExp(
      `^Dry run: nothing was written\\. Would import ${wouldImport.toLocaleString('en-GB')} of ${received.toLocaleString('en-GB')} records`,
    ),
  );
  assert.match(dry.stdout, /received +would import +would fail +would skip/);
  assert.match(dry.stdout, new RegExp(`Import ${dryId} \\(a dry run\\): completed\\.`));
  assert.equal(Number(await centralRows()), 0, 'nothing was written');

  const dryErrors = path.join(dir, `brightclient-errors-${dryId}.csv`);
  assert.match(dry.stdout, /Would-be error file: /);
  const { actual, expected: planted } = await errorRowsOf(dryErrors, path.join(dir, 'expected-errors.csv'));
  assert.ok(planted.length > 30);
  assert.deepEqual(actual, planted);
  assert.ok(!existsSync(path.join(dir, '.brightclient-dry-run.json')), 'a finished dry run leaves no state file');

  // For real now: the same counts and the same error file, and it writes.
  const real = await runCli(['send', dir, '--server', t.url, '--batch-bytes', '60000'], { BRIGHTCLIENT_TOKEN: token });
  assert.equal(real.code, 2, `${real.stdout}\n${real.stderr}`);
  assert.doesNotMatch(real.stdout, /Dry run/);
  const realId = importIdIn(real.stdout)!;
  assert.notEqual(realId, dryId);
  const realView = await get(realId);
  assert.equal(realView.dryRun, false);
  assert.deepEqual(countsIn(realView), countsIn(dryView));
  assert.deepEqual(await fs.readFile(path.join(dir, `brightclient-errors-${realId}.csv`), 'utf8'), await fs.readFile(dryErrors, 'utf8'));
  assert.ok(Number(await centralRows()) >= wouldImport);
});
