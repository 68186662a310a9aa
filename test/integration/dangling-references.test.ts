// No role or address names a client or contact that is not there (db/migrations/0068: no foreign key keeps them
// since; the statements that remove or move records do, in their transactions — docs/decisions.md). After each of
// an undo, a merge, a split and an import whose failed parents cascade, one query looks for what dangles.
// Each test has a practice of its own (test/helpers/review.ts's two exports unless it says otherwise).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { json } from '../helpers/json.ts';
import {
  itemFor,
  MANAGER,
  matches,
  reviewPractice,
  runImport,
  undoImport,
  userPost,
  type Batch,
  type ReviewPractice,
} from '../helpers/review.ts';
import { createSources, startTestApp, type TestApp } from '../helpers/test-app.ts';
import type { ChangedRecords } from '../../src/contract/matches.contract.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ sessions: true });
});
after(async () => {
  await t?.close();
});

/** The practice's roles and addresses that name a missing client or contact, as [what, id]. */
async function dangling(practiceId: string): Promise<[string, string][]> {
  const { rows } = await t.db.query<{ what: string; id: string }>(
    `SELECT 'role → client' AS what, r.client_id AS id FROM client_contacts r
      WHERE r.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = r.client_id)
     UNION ALL
     SELECT 'role → contact', r.contact_id FROM client_contacts r
      WHERE r.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = r.contact_id)
     UNION ALL
     SELECT 'address → client', a.client_id FROM addresses a
      WHERE a.practice_id = $1 AND a.client_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = a.client_id)
     UNION ALL
     SELECT 'address → contact', a.contact_id FROM addresses a
      WHERE a.practice_id = $1 AND a.contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = a.contact_id)`,
    [practiceId],
  );
  return rows.map((r) => [r.what, r.id]);
}

const centralIdOf = async (practiceId: string, source: string, ref: string) =>
  (
    await t.db.query<{ id: string }>('SELECT central_id AS id FROM source_records WHERE practice_id = $1 AND source = $2 AND ref = $3', [
      practiceId,
      source,
      ref,
    ])
  ).rows[0]!.id;

/** How many roles and addresses name the central record `id`. */
async function naming(id: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM client_contacts WHERE client_id = $1 OR contact_id = $1)
          + (SELECT count(*) FROM addresses WHERE client_id = $1 OR contact_id = $1) AS n`,
    [id],
  );
  return Number(rows[0]!.n);
}

let practices = 0;
const practice = (manager?: Batch[], books?: Batch[]) => reviewPractice(t, `Dangling References Practice ${++practices}`, manager, books);

// BrightManager's Eve (no BrightBooks record) is director of Acme, which BrightBooks also sent: undoing BrightManager
// removes Eve and must take her role at Acme, which stays.
const MANAGER_WITH_EVE: Batch[] = MANAGER.map((batch) =>
  batch.type === 'contacts'
    ? {
        ...batch,
        records: [...batch.records, { ref: 'MP-7', firstName: 'Eve', lastName: 'Black', clients: [{ ref: 'M-1', role: 'director' }] }],
      }
    : batch.type === 'addresses'
      ? {
          ...batch,
          records: [
            ...batch.records,
            {
              ref: 'MA-7',
              owner: { type: 'contact', ref: 'MP-7' },
              line1: '9 Mill Lane',
              town: 'Leeds',
              postcode: 'LS6 2AA',
              from: '2020-01-01',
            },
          ],
        }
      : batch,
);

test('undo: a removed contact takes its roles, those at a client that stays included', async () => {
  const p = await practice(MANAGER_WITH_EVE);
  const [eve, conflicted, dan] = [
    await centralIdOf(p.practiceId, 'brightmanager', 'MP-7'),
    await centralIdOf(p.practiceId, 'brightmanager', 'M-4'),
    await centralIdOf(p.practiceId, 'brightmanager', 'MP-6'),
  ];
  assert.deepEqual([await naming(eve), await naming(conflicted), await naming(dan)], [2, 1, 1]);
  const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM imports WHERE practice_id = $1 AND source = 'brightmanager'`, [
    p.practiceId,
  ]);
  await undoImport(t, p.tokens.brightmanager, rows[0]!.id);
  assert.deepEqual([await naming(eve), await naming(conflicted), await naming(dan)], [0, 0, 0]);
  assert.deepEqual(await dangling(p.practiceId), []);
  assert.ok((await naming(await centralIdOf(p.practiceId, 'brightbooks', 'B-1'))) > 0, 'Acme keeps BrightBooks’ roles');
});

test('merge: the merged-away records’ roles and addresses move to the survivor', async () => {
  const p = await practice();
  const open = await matches(t, p);
  const peak = itemFor(open, ['M-3'], ['B-3']);
  const carol = itemFor(open, ['BP-4'], ['BP-5']);
  // A merge keeps the item's first record; Carol's two are one batch's, so which of them goes is the ids' order.
  const away = [peak.records[1]!, carol.records[1]!];
  assert.equal(away[0], await centralIdOf(p.practiceId, 'brightbooks', 'B-3'));
  assert.ok((await naming(away[0])) > 0 && (await naming(away[1]!)) > 0);
  for (const item of [peak, carol]) assert.equal((await userPost(t, p, `/v1/matches/${item.id}/merge`)).statusCode, 200);
  assert.deepEqual([await naming(away[0]), await naming(away[1]!)], [0, 0]);
  assert.deepEqual(await dangling(p.practiceId), []);
});

test('split: the split-off records take their roles and addresses to records that exist', async () => {
  const p: ReviewPractice = await practice();
  const acme = await centralIdOf(p.practiceId, 'brightmanager', 'M-1');
  const bob = await centralIdOf(p.practiceId, 'brightmanager', 'MP-2');
  const client = await userPost(t, p, `/v1/clients/${acme}/split`, { source: 'brightbooks', ref: 'B-1' });
  assert.equal(client.statusCode, 200, client.body);
  const contact = await userPost(t, p, `/v1/contacts/${bob}/split`, { source: 'brightbooks', ref: 'BP-3' });
  assert.equal(contact.statusCode, 200, contact.body);
  const own = [json<ChangedRecords>(client).clients[1]!.id, json<ChangedRecords>(contact).contacts[1]!.id];
  assert.ok((await naming(own[0]!)) > 0 && (await naming(own[1]!)) > 0, 'the new records hold what their source gave');
  assert.deepEqual(await dangling(p.practiceId), []);
});

test('a failed parent: its contacts and addresses fail with it, the others are committed whole', async () => {
  const { practiceId, tokens } = await createSources(t.db, `Dangling References Practice ${++practices}`);
  const done = await runImport(t, tokens.brightmanager!, [
    {
      type: 'clients',
      records: [
        { ref: 'C-1', clientReference: 'ACME01', name: 'Acme Trading Ltd', clientType: 'limited_company' },
        { ref: 'C-2', clientReference: 'BETA01', name: 'Beta Ltd', clientType: 'ltd' }, // fails: bad type
      ],
    },
    {
      type: 'contacts',
      records: [
        { ref: 'P-1', firstName: 'Jane', lastName: 'Smith', clients: [{ ref: 'C-1', role: 'director' }] },
        { ref: 'P-2', firstName: 'John', lastName: 'Doe', clients: [{ ref: 'C-2', role: 'director' }] }, // its parent failed
      ],
    },
    {
      type: 'addresses',
      records: [
        { ref: 'A-1', owner: { type: 'contact', ref: 'P-1' }, line1: '1 Park Row', town: 'Leeds', postcode: 'LS1 5HD', from: '2019-04-01' },
        { ref: 'A-2', owner: { type: 'contact', ref: 'P-2' }, line1: '2 Park Row', town: 'Leeds', postcode: 'LS1 5HD', from: '2019-04-01' },
        { ref: 'A-3', owner: { type: 'client', ref: 'C-2' }, line1: '3 Park Row', town: 'Leeds', postcode: 'LS1 5HD', from: '2019-04-01' },
      ],
    },
  ]);
  assert.deepEqual(
    [done.counts.clients.failed, done.counts.contacts.failed, done.counts.addresses.failed, done.counts.addresses.imported],
    [1, 1, 2, 1],
  );
  assert.equal(await naming(await centralIdOf(practiceId, 'brightmanager', 'P-1')), 2);
  assert.deepEqual(await dangling(practiceId), []);
});
