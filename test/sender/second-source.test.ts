// The generator's second-source mode: another product's export of the same practice, and its ground truth.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { IDENTIFIER_RATES_CHOICES, writeSecondSource } from '../../packages/sender/src/cli/generate/second-source.ts';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';

type Rec = Record<string, string | undefined>;
const lines = async (file: string) =>
  (await fs.readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec);

for (const identifierRates of IDENTIFIER_RATES_CHOICES)
  test(`${identifierRates} rates: a second export holds a share of the first one under its own refs, with the matches it must give`, async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-second-'));
    const first = path.join(root, 'first');
    const second = path.join(root, 'second');
    await writeGeneratedExport(first, { clients: 300, seed: 5, invalidRate: 0.02, format: 'ndjson' });
    const summary = await writeSecondSource(second, { overlapWith: first, overlap: 0.6, seed: 6, prefix: 'B-', identifierRates });

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

test('realistic rates: a bookkeeping product keeps company and VAT numbers, no UTR, and holds VAT-registered clients more often', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-second-'));
  const first = path.join(root, 'first');
  await writeGeneratedExport(first, { clients: 2000, seed: 7, invalidRate: 0.02, format: 'ndjson' });
  const firstClients = new Map((await lines(path.join(first, 'clients.ndjson'))).map((c) => [c['ref'], c]));
  const twins = async (identifierRates: 'realistic' | 'pessimistic') => {
    const dir = path.join(root, identifierRates);
    const { matches } = await writeSecondSource(dir, { overlapWith: first, overlap: 0.6, seed: 8, prefix: 'B-', identifierRates });
    const second = new Map((await lines(path.join(dir, 'clients.ndjson'))).map((c) => [c['ref'], c]));
    return matches
      .filter((m) => m.record_type === 'client' && m.planted !== 'look-alike')
      .map((m) => ({ first: firstClients.get(m.first_ref)!, twin: second.get(m.second_ref)!, expected: m.expected }));
  };
  const share = <T>(items: T[], p: (item: T) => boolean) => items.filter(p).length / Math.max(1, items.length);
  const realistic = await twins('realistic');
  assert.ok(
    realistic.every((t) => t.twin['utr'] === undefined || t.first['utr'] === undefined),
    'it files no tax return: no UTR',
  );
  const keptNumber = share(
    realistic.filter((t) => t.first['companyNumber'] !== undefined),
    (t) => t.twin['companyNumber'] !== undefined,
  );
  const keptVat = share(
    realistic.filter((t) => t.first['vatNumber'] !== undefined),
    (t) => t.twin['vatNumber'] === t.first['vatNumber'],
  );
  assert.ok(keptNumber > 0.9 && keptNumber < 1 && keptVat > 0.93 && keptVat < 1, `kept ${keptNumber} / ${keptVat}`);
  const firstVat = share([...firstClients.values()], (c) => c['vatNumber'] !== undefined);
  const firstTrusts = share([...firstClients.values()], (c) => c['clientType'] === 'trust');
  assert.ok(share(realistic, (t) => t.first['vatNumber'] !== undefined) > firstVat + 0.05, 'VAT-registered clients held more often');
  assert.ok(share(realistic, (t) => t.first['clientType'] === 'trust') < firstTrusts / 3, 'trusts seldom held');

  const pessimistic = await twins('pessimistic');
  const noIdentifiers = share(
    pessimistic.filter((t) => ['companyNumber', 'utr', 'vatNumber'].some((f) => t.first[f] !== undefined)),
    (t) => ['companyNumber', 'utr', 'vatNumber'].every((f) => t.twin[f] === undefined),
  );
  assert.ok(noIdentifiers > 0.03 && noIdentifiers < 0.08, `pessimistic: ${noIdentifiers} of twins with identifiers lose them all`);
  assert.ok(pessimistic.some((t) => t.first['utr'] !== undefined && t.twin['utr'] === t.first['utr']));
  await fs.rm(root, { recursive: true, force: true });
});
