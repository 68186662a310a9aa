// Matching never depends on timing (SPEC §9): BrightBooks sends two batches, each with a client that shares an
// identifier with the same BrightManager client. Committed side by side, neither batch saw the other's new link and
// both joined it — one source's two refs silently made one client. Batches that match go one at a time, in batch
// order: the first joins, the second finds the client already linked from its source and opens a same_source item,
// and a dry run of the same export (one at a time by construction) says the same.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { withTransaction } from '../../src/db/pool.ts';
import { matchType } from '../../src/pipeline/match.sql.ts';
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

test('each type is decided once, in a step of its own before its batches commit, and deciding again does nothing', async () => {
  const contact = (ref: string, clientRef: string) => ({
    ref,
    firstName: 'Ada',
    lastName: `Lovelace-${ref}`,
    email: `${ref.toLowerCase()}@example.co.uk`,
    clients: [{ ref: clientRef, role: 'director' }],
  });
  const address = (ref: string, ownerRef: string) => ({
    ref,
    owner: { type: 'client', ref: ownerRef },
    kind: 'registered',
    line1: `${ref} High Street`,
    town: 'Leeds',
    postcode: 'LS1 4AP',
    from: '2020-01-01',
  });
  await run(tokens['brightmanager']!, [
    { type: 'clients', records: [client('M-D', { companyNumber: '07654321' })] },
    { type: 'contacts', records: [contact('M-P', 'M-D')] },
  ]);
  const real = await run(tokens['brightbooks']!, [
    { type: 'clients', records: [client('B-D1', { companyNumber: '07654321' })] },
    { type: 'clients', records: [client('B-D2')] },
    { type: 'contacts', records: [{ ...contact('B-P', 'B-D1'), lastName: 'Lovelace-M-P', email: 'm-p@example.co.uk' }] },
    { type: 'addresses', records: [address('B-A', 'B-D1')] },
  ]);
  assert.equal(real.counts.clients.matched, 1);
  assert.equal(real.counts.contacts.matched, 1);

  const { rows: steps } = await t.db.query<{ step: string; batch_no: number | null; at: Date }>(
    `SELECT step, batch_no, at FROM import_log WHERE import_id = $1 ORDER BY at, step`,
    [real.id],
  );
  const atOf = (step: string, batches: number[]) =>
    steps.filter((s) => s.step === step && batches.includes(s.batch_no!)).map((s) => s.at.getTime());
  // One decision per type, under its first batch's number, and before any of its batches committed.
  assert.deepEqual(
    steps
      .filter((s) => s.step === 'match')
      .map((s) => s.batch_no)
      .sort(),
    [1, 3, 4],
  );
  for (const [first, batches] of [
    [1, [1, 2]],
    [3, [3]],
    [4, [4]],
  ] as const) {
    assert.ok(Math.max(...atOf('match', [first])) <= Math.min(...atOf('commit', [...batches])), `batch ${first}'s type decided first`);
  }
  const { rows: counts } = await t.db.query<{ record_type: string; decided: boolean }>(
    'SELECT record_type, matches_decided_at IS NOT NULL AS decided FROM import_counts WHERE import_id = $1 ORDER BY 1',
    [real.id],
  );
  assert.deepEqual(
    counts.map((c) => [c.record_type, c.decided]),
    [
      ['addresses', true],
      ['clients', true],
      ['contacts', true],
    ],
  );

  // Deciding a decided type again (a resumed import) answers false and adds nothing.
  const scope = { importId: real.id, practiceId, source: 'brightbooks' };
  const matchesBefore = await t.db.query('SELECT count(*)::int AS n FROM staged_matches WHERE import_id = $1', [real.id]);
  for (const type of ['clients', 'contacts', 'addresses'] as const) {
    assert.equal(await withTransaction(t.db, (tx) => matchType(tx, type, scope)), false);
  }
  const matchesAfter = await t.db.query('SELECT count(*)::int AS n FROM staged_matches WHERE import_id = $1', [real.id]);
  assert.deepEqual(matchesAfter.rows, matchesBefore.rows);
});
