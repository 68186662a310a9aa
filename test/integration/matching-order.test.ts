// Matching never depends on timing (SPEC §9): BrightBooks sends two batches, each with a client that shares an
// identifier with the same BrightManager client. Committed side by side, neither batch saw the other's new link and
// both joined it — one source's two refs silently made one client. Batches that match go one at a time, in batch
// order: the first joins, the second finds the client already linked from its source and opens a same_source item,
// and a dry run of the same export (one at a time by construction) says the same.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { sourceClient, createSources, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let practiceId: string;
const tokens: Record<string, string> = {};
before(async () => {
  t = await startTestApp();
  const created = await createSources(t.db, 'Matching Order Practice');
  practiceId = created.practiceId;
  Object.assign(tokens, created.tokens);
});
after(async () => {
  await t?.close();
});

const client = (ref: string, extra: object = {}) => ({
  ref,
  clientReference: `R-${ref}`,
  name: `${ref} Ltd`,
  clientType: 'limited_company',
  ...extra,
});
// Enough clients before the matching one that both batches are committing at the same time.
const padding = (prefix: string) => Array.from({ length: 3000 }, (_, i) => client(`${prefix}-${i}`));

async function run(token: string, batches: object[], body: object = {}): Promise<ImportView> {
  const c = sourceClient(t.app, token);
  const id = json<ImportView>(await c.startImport(body)).id;
  for (const [i, batch] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, batch)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  return waitForCompletion(t.app, token, id, 120_000);
}

test('two batches matching one central client: the first joins, the second is a same_source item, dry or real', async () => {
  await run(tokens['brightmanager']!, [
    { type: 'clients', records: [client('M-X', { companyNumber: '01234567', utr: '8123456780' }), ...padding('M')] },
  ]);
  const books = [
    { type: 'clients', records: [...padding('A'), client('B-1', { companyNumber: '01234567' })] },
    { type: 'clients', records: [...padding('C'), client('B-5', { utr: '8123456780' })] },
  ];
  const dry = await run(tokens['brightbooks']!, books, { dryRun: true });
  const real = await run(tokens['brightbooks']!, books);
  assert.equal(dry.counts.clients.matched, 1);
  assert.equal(real.counts.clients.matched, 1);

  const { rows: joined } = await t.db.query<{ ref: string; matched_by: string }>(
    `SELECT ref, matched_by FROM source_records
      WHERE practice_id = $1 AND source = 'brightbooks' AND record_type = 'clients' AND matched_by <> 'new'`,
    [practiceId],
  );
  assert.deepEqual(joined, [{ ref: 'B-1', matched_by: 'company_number' }]);
  const { rows: items } = await t.db.query<{ kind: string }>(
    `SELECT kind FROM match_reviews WHERE practice_id = $1 AND record_type = 'clients'`,
    [practiceId],
  );
  assert.deepEqual(
    items.map((i) => i.kind),
    ['same_source'],
  );
});
