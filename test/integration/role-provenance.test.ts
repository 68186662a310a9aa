// Which source gave a role (SPEC §9, §10; db/migrations/0066_role_provenance.sql): Jane Smith is director and
// secretary of Acme for BrightManager, director and shareholder for BrightBooks, whose contact joins hers. An undo
// of either import takes only the roles that import gave — the director role both gave stays — and a split of
// BrightBooks' contact record takes its roles with it. Each test has a practice of its own, both exports imported.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientDetail, ContactDetail } from '../../src/contract/clients.contract.ts';
import type { ChangedRecords } from '../../src/contract/matches.contract.ts';
import { json } from '../helpers/json.ts';
import { reviewPractice, runImport, undoImport, userGet, userPost, type Batch, type ReviewPractice } from '../helpers/review.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ sessions: true });
});
after(async () => {
  await t?.close();
});

const acme = (ref: string, name: string) => ({ ref, clientReference: ref, name, clientType: 'limited_company', companyNumber: '01234567' });
const jane = (ref: string, client: string, roles: string[]) => ({
  ref,
  firstName: 'Jane',
  lastName: 'Smith',
  email: 'jane@acme.example',
  clients: roles.map((role) => ({ ref: client, role })),
});
const MANAGER: Batch[] = [
  { type: 'clients', records: [acme('M-1', 'Acme Trading Ltd')] },
  { type: 'contacts', records: [jane('MP-1', 'M-1', ['director', 'secretary'])] },
];
const BOOKS: Batch[] = [
  { type: 'clients', records: [acme('B-1', 'Acme Trading Limited')] },
  { type: 'contacts', records: [jane('BP-1', 'B-1', ['director', 'shareholder'])] },
];

let practices = 0;
async function bothImported(): Promise<ReviewPractice & { imports: Record<string, string> }> {
  const p = await reviewPractice(t, `Role Provenance Practice ${++practices}`, MANAGER, BOOKS);
  const { rows } = await t.db.query<{ source: string; id: string }>('SELECT source, id FROM imports WHERE practice_id = $1', [
    p.practiceId,
  ]);
  return { ...p, imports: Object.fromEntries(rows.map((r) => [r.source, r.id])) };
}

const centralIdOf = async (p: ReviewPractice, ref: string) =>
  (await t.db.query<{ id: string }>('SELECT central_id AS id FROM source_records WHERE practice_id = $1 AND ref = $2', [p.practiceId, ref]))
    .rows[0]!.id;

/** Jane's roles at Acme, as the client's page shows them: each contact's name and roles. */
async function rolesAtAcme(p: ReviewPractice): Promise<[string, string[]][]> {
  const client = json<ClientDetail>(await userGet(t, p, `/v1/clients/${await centralIdOf(p, 'M-1')}`));
  return client.contacts.map((c) => [c.id, c.roles]);
}

test('the joined contact holds both sources’ roles once each', async () => {
  const p = await bothImported();
  const person = await centralIdOf(p, 'MP-1');
  assert.equal(await centralIdOf(p, 'BP-1'), person, 'BrightBooks’ Jane joined BrightManager’s');
  assert.deepEqual(await rolesAtAcme(p), [[person, ['director', 'secretary', 'shareholder']]]);
  const contact = json<ContactDetail>(await userGet(t, p, `/v1/contacts/${person}`));
  assert.deepEqual(
    contact.clients.map((c) => c.roles),
    [['director', 'secretary', 'shareholder']],
  );
});

test('undo of the second source takes the roles it gave and keeps the first’s, the shared one included; sent again, they are back', async () => {
  const p = await bothImported();
  const person = await centralIdOf(p, 'MP-1');
  await undoImport(t, p.tokens.brightbooks, p.imports.brightbooks!);
  assert.deepEqual(await rolesAtAcme(p), [[person, ['director', 'secretary']]]);
  const again = await runImport(t, p.tokens.brightbooks, BOOKS);
  assert.deepEqual([again.counts.clients.matched, again.counts.contacts.matched], [1, 1]);
  assert.deepEqual(await rolesAtAcme(p), [[person, ['director', 'secretary', 'shareholder']]]);
});

test('undo of the first source keeps the second’s roles, the shared one included', async () => {
  const p = await bothImported();
  const person = await centralIdOf(p, 'BP-1');
  await undoImport(t, p.tokens.brightmanager, p.imports.brightmanager!);
  const client = json<ClientDetail>(await userGet(t, p, `/v1/clients/${await centralIdOf(p, 'B-1')}`));
  assert.deepEqual(
    client.contacts.map((c) => [c.id, c.roles]),
    [[person, ['director', 'shareholder']]],
  );
});

test('split of the second source’s contact record moves the roles it gave to the new contact; the first’s stay', async () => {
  const p = await bothImported();
  const person = await centralIdOf(p, 'MP-1');
  const res = await userPost(t, p, `/v1/contacts/${person}/split`, { source: 'brightbooks', ref: 'BP-1' });
  assert.equal(res.statusCode, 200, res.body);
  const [old, own] = json<ChangedRecords>(res).contacts;
  assert.deepEqual([old!.id, own!.id === person], [person, false]);
  assert.deepEqual(
    [old!.clients.map((c) => c.roles), own!.clients.map((c) => c.roles)],
    [[['director', 'secretary']], [['director', 'shareholder']]],
  );
  assert.deepEqual(await rolesAtAcme(p), [
    [person, ['director', 'secretary']],
    [own!.id, ['director', 'shareholder']],
  ]);
});

test('split of the second source’s client record moves the roles its contacts gave there to the new client', async () => {
  const p = await bothImported();
  const [client, person] = [await centralIdOf(p, 'M-1'), await centralIdOf(p, 'MP-1')];
  const res = await userPost(t, p, `/v1/clients/${client}/split`, { source: 'brightbooks', ref: 'B-1' });
  assert.equal(res.statusCode, 200, res.body);
  const [old, own] = json<ChangedRecords>(res).clients;
  assert.deepEqual([old!.id, own!.id === client], [client, false]);
  assert.deepEqual(
    [old!.contacts.map((c) => [c.id, c.roles]), own!.contacts.map((c) => [c.id, c.roles])],
    [[[person, ['director', 'secretary']]], [[person, ['director', 'shareholder']]]],
  );
});
