// The generator's second-source mode: another product's export of the same practice, and its ground truth.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeSecondSource } from '../../packages/sender/src/cli/generate/second-source.ts';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';

type Rec = Record<string, string | undefined>;
const lines = async (file: string) =>
  (await fs.readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec);

test('a second export holds a share of the first one under its own refs, with the matches it must give', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-second-'));
  const first = path.join(root, 'first');
  const second = path.join(root, 'second');
  await writeGeneratedExport(first, { clients: 300, seed: 5, invalidRate: 0.02, format: 'ndjson' });
  const summary = await writeSecondSource(second, { overlapWith: first, overlap: 0.6, seed: 6, prefix: 'B-' });

  const firstClients = new Map((await lines(path.join(first, 'clients.ndjson'))).map((c) => [c['ref'], c]));
  const secondClients = new Map((await lines(path.join(second, 'clients.ndjson'))).map((c) => [c['ref'], c]));
  const clientPairs = summary.matches.filter((m) => m.record_type === 'client');
  const share = clientPairs.filter((m) => m.expected !== 'apart').length / firstClients.size;
  assert.ok(share > 0.45 && share < 0.7, `overlap ${share}`);
  for (const m of clientPairs) {
    const a = firstClients.get(m.first_ref)!;
    const b = secondClients.get(m.second_ref)!;
    assert.ok(b['ref']!.startsWith('B-') && b['clientReference'] !== a['clientReference']);
    const shared = ['companyNumber', 'utr', 'vatNumber'].some(
      (f) => a[f] !== undefined && b[f] !== undefined && a[f].replace(/^0+/, '') === b[f].replace(/^0+/, ''),
    );
    if (m.expected === 'join') assert.ok(shared, `${m.second_ref} should share an identifier with ${m.first_ref}`);
    else assert.ok(!shared, `${m.second_ref} must share no identifier with ${m.first_ref}`);
  }
  assert.ok(clientPairs.some((m) => m.planted === 'look-alike'));
  assert.ok(
    summary.matches.some((m) => m.record_type === 'contact' && m.planted === 'shared director') ||
      summary.matches.some((m) => m.record_type === 'contact'),
  );
  assert.match(
    await fs.readFile(path.join(second, 'expected-matches.csv'), 'utf8'),
    /^record_type,first_ref,second_ref,expected,planted\n/,
  );
  await fs.rm(root, { recursive: true, force: true });
});
