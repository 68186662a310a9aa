// The central repository's client reads over HTTP, on data that arrived through real imports: keyset paging,
// a client item and a client with its contacts and address history, bad queries, and practice isolation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientDetail, ClientItem } from '../../src/contract/clients.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import { json } from '../helpers/json.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { clientId, clientsA, contactList, list, refsOf, seedPractices, type Api } from '../helpers/clients-fixture.ts';

let t: TestApp;
let a: Api; // practice A: 30 clients, contacts and addresses
let b: Api; // practice B: one client named like one of A's
let practiceA: string;

before(async () => {
  t = await startTestApp();
  ({ a, b, practiceA } = await seedPractices(t));
});

after(async () => {
  await t?.close();
});

test('the list is ordered by name and pages by cursor: 30 clients in pages of 10, each once', async () => {
  const pages: ClientItem[][] = [];
  let cursor: string | null = null;
  do {
    const page = await list(a, cursor ? { limit: 10, cursor } : { limit: 10 });
    pages.push(page.clients);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 10);
  assert.deepEqual(
    pages.map((p) => p.length),
    [10, 10, 10],
  );
  const all = pages.flat();
  assert.equal(new Set(all.map((c) => c.id)).size, 30);
  assert.deepEqual(all.map((c) => c.name).sort(), clientsA.map((c) => c.name).sort());
  // in the database's collation, as a user's sorted column would be
  const byName = await t.db.query<{ id: string }>('SELECT id FROM clients WHERE practice_id = $1 ORDER BY name, id', [practiceA]);
  assert.deepEqual(
    all.map((c) => c.id),
    byName.rows.map((r) => r.id),
  );
});

test('a client item carries its fields and source refs', async () => {
  const [acme] = (await list(a, { search: 'ACME01' })).clients;
  assert.deepEqual(
    { ...acme, id: undefined, createdAt: undefined, sources: refsOf(acme!.sources) },
    {
      id: undefined,
      clientReference: 'ACME01',
      name: 'Acme Trading Ltd',
      clientType: 'limited_company',
      companyNumber: '01234567',
      vatNumber: 'GB980780684',
      email: 'office@acme.example',
      phone: '+442071234567',
      website: 'acme.example',
      createdAt: undefined,
      sources: [{ source: 'brightmanager', ref: 'C-1' }],
    },
  );
  assert.ok(!Number.isNaN(Date.parse(acme!.createdAt)));
});

test('bad queries answer 400 problems', async () => {
  const bad = async (url: string) => {
    const res = await a.get(url);
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    return json<Problem>(res);
  };
  await bad(`/v1/clients?search=${'x'.repeat(201)}`);
  await bad('/v1/clients?cursor=not-a-cursor');
  await bad(`/v1/clients?cursor=${Buffer.from('{"q":null,"n":"A","i":"x"}').toString('base64url')}`);
  await bad('/v1/clients?limit=0');
  await bad('/v1/clients?limit=201');
  // a cursor only continues the search it came from
  const { nextCursor } = await list(a, { limit: 2 });
  assert.ok(nextCursor);
  await bad(`/v1/clients?search=ltd&cursor=${nextCursor}`);
  await bad('/v1/clients/not-a-uuid');
  await bad('/v1/contacts/not-a-uuid');
  assert.equal((await list(a, { search: 'x'.repeat(200) })).clients.length, 0);
  assert.equal((await list(a, { search: '   ', limit: 100 })).clients.length, 30, 'a blank search lists all');
});

test('a client shows its contacts with their roles and its address history, current first', async () => {
  const res = await a.get(`/v1/clients/${await clientId(a, 'ACME01')}`);
  assert.equal(res.statusCode, 200, res.body);
  const acme = json<ClientDetail>(res);
  assert.equal(acme.name, 'Acme Trading Ltd');
  assert.equal(acme.utr, '1955839661');
  assert.deepEqual(refsOf(acme.sources), [{ source: 'brightmanager', ref: 'C-1' }]);
  // how the link was made (SPEC §9): the first source creates the record, nothing differs
  const [link] = acme.sources;
  assert.equal(link?.matchedBy, 'new');
  assert.equal(link.values, null);
  assert.match(link.importId, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(link.matchedAt)));
  assert.deepEqual(
    acme.contacts.map((c) => ({ ...c, id: typeof c.id })),
    [
      { id: 'string', title: null, firstName: 'Adam', lastName: 'Brown', email: null, phone: null, roles: ['primary_contact'] },
      {
        id: 'string',
        title: 'Ms',
        firstName: 'Jane',
        lastName: 'Smith',
        email: 'jane@acme.example',
        phone: '+447911123456',
        roles: ['director', 'shareholder'],
      },
    ],
  );
  assert.deepEqual(
    acme.addresses.map((x) => [x.line1, x.kind, x.from, x.to]),
    [
      ['3 Market Place', 'trading', '2022-06-01', null],
      ['2 New Street', 'registered', '2021-03-01', null],
      ['1 Old Road', 'registered', '2015-01-01', '2021-02-28'],
      ['PO Box 1', 'correspondence', '2012-01-01', '2014-12-31'],
    ],
  );
  assert.deepEqual(
    { ...acme.addresses[1], id: undefined },
    {
      id: undefined,
      kind: 'registered',
      line1: '2 New Street',
      line2: 'Floor 3',
      town: 'Leeds',
      county: 'West Yorkshire',
      postcode: 'LS2 8JS',
      country: 'GB',
      from: '2021-03-01',
      to: null,
    },
  );
  // a client without contacts or addresses has empty lists
  const elm = json<ClientDetail>(await a.get(`/v1/clients/${await clientId(a, 'Elm Estates')}`));
  assert.deepEqual([elm.name, elm.contacts, elm.addresses], ['Elm Estates Ltd', [], []]);
});

test('unknown ids answer 404', async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  for (const url of [`/v1/clients/${unknown}`, `/v1/contacts/${unknown}`]) {
    const res = await a.get(url);
    assert.equal(res.statusCode, 404, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  }
});

test('another practice sees none of it, through any read', async () => {
  const acmeA = json<ClientDetail>(await a.get(`/v1/clients/${await clientId(a, 'ACME01')}`));
  const janeId = acmeA.contacts.find((c) => c.lastName === 'Smith')!.id;

  const listB = await list(b, { limit: 200 });
  assert.deepEqual(
    listB.clients.map((c) => c.name),
    ['Acme Trading Ltd'],
  );
  assert.notEqual(listB.clients[0]!.id, acmeA.id);
  for (const search of ['Acme', 'ACME01', 'Muller', 'Elm Estates', 'ltd']) {
    assert.ok(
      (await list(b, { search })).clients.every((c) => c.id === listB.clients[0]!.id),
      search,
    );
  }
  assert.equal((await b.get(`/v1/clients/${acmeA.id}`)).statusCode, 404);
  assert.equal((await b.get(`/v1/contacts/${janeId}`)).statusCode, 404);
  assert.deepEqual((await contactList(b, {})).contacts, []);
  assert.deepEqual((await contactList(b, { search: 'Smith' })).contacts, []);
  // and the other way round
  assert.equal((await a.get(`/v1/clients/${listB.clients[0]!.id}`)).statusCode, 404);
  assert.ok((await list(a, { search: 'ACME01' })).clients.every((c) => c.id !== listB.clients[0]!.id));
});

test('reads need a token', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/v1/clients' });
  assert.equal(res.statusCode, 401);
});
