// The generator's two products of one practice (`generate --overlap-with`) against the server's matching (SPEC §9),
// at both identifier rates: one product's export opens no review item of its own (it plants no pair that looks
// like one client), and after the second product's export the joins and review items are exactly those of
// expected-matches.csv — every `join` pair joined, no other client joined, every `review` pair an item, no item
// the ground truth does not name, the look-alikes apart.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { findExportFiles, readExport } from '../../packages/sender/src/cli/export-reader.ts';
import { writeSecondSource, type ExpectedMatch, type IdentifierRates } from '../../packages/sender/src/cli/generate/second-source.ts';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import { createSources, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let work: string;
let first: string;
before(async () => {
  t = await startTestApp();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-matching-generated-'));
  first = path.join(work, 'manager');
  await writeGeneratedExport(first, { clients: 600, seed: 31, invalidRate: 0.02, format: 'ndjson' });
});
after(async () => {
  await t?.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

async function importExport(token: string, dir: string): Promise<void> {
  const byType = new Map<string, object[]>();
  for await (const { type, record } of readExport(await findExportFiles(dir))) {
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type)!.push(record as object);
  }
  const c = sourceClient(t.app, token);
  const id = (await c.startImport()).json<{ id: string }>().id;
  let n = 0;
  for (const type of ['clients', 'contacts', 'addresses'])
    for (let i = 0; i < (byType.get(type)?.length ?? 0); i += 1000) {
      const res = await c.putBatch(id, ++n, { type, records: byType.get(type)!.slice(i, i + 1000) });
      assert.equal(res.statusCode, 202, res.body);
    }
  assert.equal((await c.complete(id, n)).statusCode, 202);
  await waitForCompletion(t.app, token, id, 60_000);
}

/** Central client id of each `source:ref`, and the client review items as sorted pairs of central ids. */
async function outcome(practiceId: string) {
  const links = await t.db.query<{ source: string; ref: string; central_id: string; matched_by: string }>(
    `SELECT source, ref, central_id, matched_by FROM source_records WHERE practice_id = $1 AND record_type = 'clients'`,
    [practiceId],
  );
  const items = await t.db.query<{ kind: string; records: string[] }>(
    `SELECT kind, records FROM match_reviews WHERE practice_id = $1 AND record_type = 'clients'`,
    [practiceId],
  );
  return {
    central: new Map(links.rows.map((r) => [`${r.source}:${r.ref}`, r.central_id])),
    joined: links.rows.filter((r) => r.source === 'brightbooks' && r.matched_by !== 'new').map((r) => r.ref),
    items: items.rows.map((r) => ({ kind: r.kind, pair: [...r.records].sort().join('|') })),
  };
}

for (const rates of ['realistic', 'pessimistic'] as const satisfies readonly IdentifierRates[]) {
  test(`${rates} rates: the joins and review items are exactly the planted ones`, async () => {
    const { practiceId, tokens } = await createSources(t.db, `Generated ${rates}`);
    await importExport(tokens['brightmanager']!, first);
    const alone = await outcome(practiceId);
    assert.deepEqual(alone.items, [], 'one product’s export holds no pair that looks like one client');
    // Companies House registers no two companies of one name, nor the Charity Commission two charities: no two
    // organisations of the export share a name by the server's folding, nor any two clients an identifier.
    const { rows: sameName } = await t.db.query(
      `SELECT name_folded FROM clients WHERE practice_id = $1 AND client_type NOT IN ('sole_trader', 'partnership')
        GROUP BY name_folded HAVING count(*) > 1
       UNION ALL
       SELECT key FROM clients, unnest(ARRAY['c' || company_number, 'u' || utr, 'v' || vat_root]) key
        WHERE practice_id = $1 AND key IS NOT NULL GROUP BY key HAVING count(*) > 1`,
      [practiceId],
    );
    assert.deepEqual(sameName, []);

    const second = path.join(work, rates);
    const { matches } = await writeSecondSource(second, {
      overlapWith: first,
      overlap: 0.6,
      seed: 32,
      prefix: 'B-',
      identifierRates: rates,
    });
    await importExport(tokens['brightbooks']!, second);
    const { central, joined, items } = await outcome(practiceId);
    const clientPairs = matches.filter((m) => m.record_type === 'client');
    const pairOf = (m: ExpectedMatch) => {
      const a = central.get(`brightmanager:${m.first_ref}`);
      const b = central.get(`brightbooks:${m.second_ref}`);
      assert.ok(a && b, `${m.first_ref} and ${m.second_ref} were imported`);
      return { a, b, key: [a, b].sort().join('|') };
    };
    const expectedJoins = clientPairs.filter((m) => m.expected === 'join');
    for (const m of expectedJoins) assert.equal(pairOf(m).a, pairOf(m).b, `${m.second_ref} (${m.planted}) joins ${m.first_ref}`);
    assert.deepEqual(joined.sort(), expectedJoins.map((m) => m.second_ref).sort(), 'no join the ground truth does not name');
    for (const m of clientPairs.filter((p) => p.expected === 'apart')) assert.notEqual(pairOf(m).a, pairOf(m).b);
    const reviews = clientPairs.filter((m) => m.expected === 'review');
    assert.ok(reviews.length > 0 && clientPairs.some((m) => m.planted === 'look-alike'));
    assert.deepEqual(
      items.map((i) => `${i.kind} ${i.pair}`).sort(),
      reviews.map((m) => `possible_match ${pairOf(m).key}`).sort(),
      'one possible_match item per planted review pair, and no other',
    );
  });
}
