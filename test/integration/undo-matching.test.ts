// Undo across sources (SPEC §9, §10): BrightManager's export, then BrightBooks' overlapping one. Undoing BrightBooks
// removes what only it brought, leaves the records it joined with BrightManager's link and values, and deletes the
// review item about its own client; sent again, it imports with the same counts and opens the item again. Undoing
// BrightManager then keeps the records BrightBooks shares, with BrightBooks' link only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientDetail } from '../../src/contract/clients.contract.ts';
import type { UndoPreview } from '../../src/contract/undo.contract.ts';
import { json } from '../helpers/json.ts';
import { runImport as reviewImport, undoImport, type Batch } from '../helpers/review.ts';
import { sourceClient, createSources, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let practiceId: string;
const tokens: Record<string, string> = {};
before(async () => {
  t = await startTestApp();
  const created = await createSources(t.db, 'Undo Matching Practice');
  practiceId = created.practiceId;
  Object.assign(tokens, created.tokens);
});
after(async () => {
  await t?.close();
});

const runImport = (source: string, batches: Batch[]) => reviewImport(t, tokens[source]!, batches);
const undo = (source: string, id: string) => undoImport(t, tokens[source]!, id);

const client = (ref: string, name: string, extra: object = {}) => ({
  ref,
  clientReference: ref,
  name,
  clientType: 'limited_company',
  ...extra,
});
const address = (ref: string, owner: string, line1: string) => ({
  ref,
  owner: { type: 'client', ref: owner },
  kind: 'registered',
  line1,
  town: 'Leeds',
  postcode: 'LS1 5HD',
  from: '2019-04-01',
});

const manager: Batch[] = [
  {
    type: 'clients',
    records: [
      client('M-1', 'Acme Trading Ltd', { companyNumber: '01234567' }),
      client('M-3', 'Peak Dental Care Ltd', { email: 'hello@peakdental.example' }),
    ],
  },
  {
    type: 'contacts',
    records: [
      { ref: 'MP-1', firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.example', clients: [{ ref: 'M-1', role: 'director' }] },
    ],
  },
  { type: 'addresses', records: [address('MA-1', 'M-1', '1 Park Row')] },
];

const books: Batch[] = [
  {
    type: 'clients',
    records: [
      client('B-1', 'Acme Trading Limited', { companyNumber: '1234567' }), // joins M-1
      client('B-3', 'Peak Dental Care Limited', { email: 'HELLO@peakdental.example' }), // its own, and a possible match with M-3
      client('B-7', 'New Books Client Ltd'),
    ],
  },
  {
    type: 'contacts',
    records: [
      { ref: 'BP-1', firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.example', clients: [{ ref: 'B-1', role: 'director' }] },
      { ref: 'BP-3', firstName: 'Sam', lastName: 'Green', clients: [{ ref: 'B-7', role: 'owner' }] },
    ],
  },
  { type: 'addresses', records: [address('BA-1', 'B-1', '1 Park Row'), address('BA-2', 'B-1', '9 Wellington St')] },
];

async function state() {
  const { rows } = await t.db.query<Record<string, number | string[]>>(
    `SELECT (SELECT count(*) FROM clients WHERE practice_id = $1)::int AS clients,
            (SELECT count(*) FROM contacts WHERE practice_id = $1)::int AS contacts,
            (SELECT count(*) FROM addresses WHERE practice_id = $1)::int AS addresses,
            (SELECT count(*) FROM client_contacts WHERE practice_id = $1)::int AS roles,
            array(SELECT ref FROM source_records WHERE practice_id = $1 ORDER BY ref) AS keys,
            array(SELECT kind FROM match_reviews WHERE practice_id = $1 ORDER BY kind) AS reviews`,
    [practiceId],
  );
  return rows[0]!;
}

const centralIdOf = async (ref: string) =>
  (await t.db.query<{ id: string }>('SELECT central_id AS id FROM source_records WHERE practice_id = $1 AND ref = $2', [practiceId, ref]))
    .rows[0]!.id;

test('undo of the second source: only its link goes from what it joined; sent again, the same counts', async () => {
  await runImport('brightmanager', manager);
  const first = await runImport('brightbooks', books);
  assert.deepEqual(
    [first.counts.clients.matched, first.counts.contacts.matched, first.counts.addresses.matched],
    [1, 1, 1],
    'B-1, BP-1 and BA-1 joined',
  );
  const joined = await state();
  assert.deepEqual(joined.reviews, ['possible_match']);
  const acme = await centralIdOf('M-1');

  const seen = json<UndoPreview>(await sourceClient(t.app, tokens.brightbooks!).get(`/v1/imports/${first.id}/undo`));
  assert.deepEqual(seen.counts, {
    clients: { remove: 2, keep: 1 },
    contacts: { remove: 1, keep: 1 },
    addresses: { remove: 1, keep: 1 },
  });
  assert.deepEqual(seen.examples.clients, ['New Books Client Ltd', 'Peak Dental Care Limited']);
  assert.equal(seen.undoable, true);

  await undo('brightbooks', first.id);
  const undone = await state();
  assert.deepEqual(undone.keys, ['M-1', 'M-3', 'MA-1', 'MP-1'], 'BrightManager’s links only');
  assert.deepEqual([undone.clients, undone.contacts, undone.addresses], [2, 1, 1]);
  assert.deepEqual(undone.reviews, [], 'the review item about B-3 went with it');
  const detail = json<ClientDetail>(await sourceClient(t.app, tokens.brightmanager!).get(`/v1/clients/${acme}`));
  assert.equal(detail.name, 'Acme Trading Ltd', 'BrightManager’s values untouched');
  assert.deepEqual(
    detail.sources.map((s) => s.source),
    ['brightmanager'],
  );

  const again = await runImport('brightbooks', books);
  assert.deepEqual(again.counts, first.counts);
  const resent = await state();
  assert.deepEqual(
    { ...resent, keys: (resent.keys as string[]).length },
    { ...joined, keys: (joined.keys as string[]).length },
    'the same central rows, links and review item as the first time',
  );
});

test('undo of the first source then: the records the other source shares stay, with its link only', async () => {
  const { rows } = await t.db.query<{ id: string }>(
    `SELECT id FROM imports WHERE practice_id = $1 AND source = 'brightmanager' AND status = 'completed'`,
    [practiceId],
  );
  const manager = rows[0]!.id;
  const acme = await centralIdOf('M-1');
  const seen = json<UndoPreview>(await sourceClient(t.app, tokens.brightmanager!).get(`/v1/imports/${manager}/undo`));
  assert.deepEqual(seen.counts, {
    clients: { remove: 1, keep: 1 },
    contacts: { remove: 0, keep: 1 },
    addresses: { remove: 0, keep: 1 },
  });
  await undo('brightmanager', manager);
  const after = await state();
  assert.deepEqual(after.keys, ['B-1', 'B-3', 'B-7', 'BA-1', 'BA-2', 'BP-1', 'BP-3']);
  assert.deepEqual([after.clients, after.contacts, after.addresses], [3, 2, 2]);
  assert.deepEqual(after.reviews, [], 'the item about M-3 and B-3 went with M-3');
  const detail = json<ClientDetail>(await sourceClient(t.app, tokens.brightbooks!).get(`/v1/clients/${acme}`));
  assert.deepEqual(
    detail.sources.map((s) => [s.source, s.ref]),
    [['brightbooks', 'B-1']],
  );
});
