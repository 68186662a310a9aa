// The central repository's contact reads over HTTP: the list by last name, search by name and email, and a
// contact with its clients and address history.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientDetail, ContactDetail } from '../../src/contract/clients.contract.ts';
import { json } from '../helpers/json.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { clientId, contactList, refsOf, seedPractices, type Api } from '../helpers/clients-fixture.ts';

let t: TestApp;
let a: Api; // practice A: 30 clients, contacts and addresses

before(async () => {
  t = await startTestApp();
  ({ a } = await seedPractices(t));
});

after(async () => {
  await t?.close();
});

const contactNames = async (search: string) =>
  (await contactList(a, { search })).contacts.map((c) => `${c.firstName ?? ''} ${c.lastName}`.trim());

test('contacts: listed by last name, searched by name (with typos) and by email', async () => {
  const all = await contactList(a, {});
  assert.deepEqual(
    all.contacts.map((c) => [c.lastName, c.firstName, refsOf(c.sources)]),
    [
      ['Brown', 'Adam', [{ source: 'brightmanager', ref: 'P-2' }]],
      ['Smith', 'Jane', [{ source: 'brightmanager', ref: 'P-1' }]],
    ],
  );
  assert.equal(all.nextCursor, null);
  assert.deepEqual(await contactNames('Smtih'), ['Jane Smith']);
  assert.deepEqual(await contactNames('jane smith'), ['Jane Smith']);
  assert.deepEqual(await contactNames('jane@acme'), ['Jane Smith']);
  assert.deepEqual(await contactNames('JANE@ACME.EXAMPLE'), ['Jane Smith']);
  assert.deepEqual(await contactNames('brwon'), ['Adam Brown']);
  assert.deepEqual(await contactNames('zzyzx'), []);
  const page = await contactList(a, { limit: 1 });
  assert.equal(page.contacts.length, 1);
  assert.ok(page.nextCursor);
  assert.deepEqual(
    (await contactList(a, { limit: 1, cursor: page.nextCursor })).contacts.map((c) => c.lastName),
    ['Smith'],
  );
});

test('a contact shows its clients with its roles there and its address history', async () => {
  const acme = json<ClientDetail>(await a.get(`/v1/clients/${await clientId(a, 'ACME01')}`));
  const jane = acme.contacts.find((c) => c.lastName === 'Smith')!;
  const res = await a.get(`/v1/contacts/${jane.id}`);
  assert.equal(res.statusCode, 200, res.body);
  const contact = json<ContactDetail>(res);
  assert.deepEqual(
    { ...contact, createdAt: undefined, clients: undefined, addresses: undefined, sources: refsOf(contact.sources) },
    {
      id: jane.id,
      title: 'Ms',
      firstName: 'Jane',
      lastName: 'Smith',
      email: 'jane@acme.example',
      phone: '+447911123456',
      dateOfBirth: '1975-06-30',
      niNumber: 'AB123456C',
      createdAt: undefined,
      sources: [{ source: 'brightmanager', ref: 'P-1' }],
      clients: undefined,
      addresses: undefined,
      actions: [],
    },
  );
  assert.deepEqual(
    contact.clients.map((c) => [c.clientReference, c.name, c.roles]),
    [
      ['ACME01', 'Acme Trading Ltd', ['director', 'shareholder']],
      ['MUL01', 'Müller & Söhne Ltd', ['secretary']],
    ],
  );
  assert.equal(contact.clients[0]?.id, acme.id);
  assert.deepEqual(
    contact.addresses.map((x) => [x.line1, x.kind, x.town, x.to]),
    [['4 Garden Lane', 'home', 'Harrogate', null]],
  );
});
