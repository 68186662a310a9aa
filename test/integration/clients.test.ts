// The central repository's reads over HTTP, on data that arrived through real imports: tolerant search, keyset
// paging, a client with its contacts and address history, a contact with its clients, and practice isolation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientDetail, ClientItem, ClientPage, ContactDetail, ContactPage, SourceRef } from '../../src/contract/clients.contract.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
type Api = ReturnType<typeof sourceClient>;
let a: Api; // practice A: 30 clients, contacts and addresses
let b: Api; // practice B: one client named like one of A's
let practiceA: string;

const TREES = [
  'Alder',
  'Birch',
  'Cedar',
  'Elm',
  'Fir',
  'Hazel',
  'Juniper',
  'Larch',
  'Maple',
  'Oak',
  'Pine',
  'Rowan',
  'Spruce',
  'Yew',
  'Aspen',
  'Beech',
  'Cherry',
  'Hawthorn',
  'Holly',
  'Linden',
  'Poplar',
];

const clientsA = [
  {
    ref: 'C-1',
    clientReference: 'ACME01',
    name: 'Acme Trading Ltd',
    clientType: 'limited_company',
    companyNumber: '01234567',
    vatNumber: 'GB980780684',
    utr: '1955839661',
    email: 'office@acme.example',
    phone: '020 7123 4567',
    website: 'acme.example',
  },
  { ref: 'C-2', clientReference: 'MUL01', name: 'Müller & Söhne Ltd', clientType: 'limited_company', companyNumber: 'SC654321' },
  { ref: 'C-3', clientReference: 'JSP01', name: 'Jones, Smith & Partners LLP', clientType: 'llp' },
  { ref: 'C-4', clientReference: 'OBR01', name: "O'Brien Plumbing", clientType: 'sole_trader' },
  // The cases (12): a legal suffix written differently, a name one word off, a transposed short name.
  { ref: 'C-5', clientReference: 'PDC01', name: 'Peak Dental Care Ltd', clientType: 'limited_company' },
  { ref: 'C-6', clientReference: 'PDC02', name: 'Peak Dental Care Services Ltd', clientType: 'limited_company' },
  { ref: 'C-7', clientReference: 'BRH01', name: 'Bracken Holdings Limited', clientType: 'limited_company' },
  { ref: 'C-8', clientReference: 'BRH02', name: 'Brown Holdings Limited', clientType: 'limited_company' },
  { ref: 'C-9', clientReference: 'SMI01', name: 'John Smith', clientType: 'sole_trader' },
  ...TREES.map((tree, i) => ({
    ref: `C-${10 + i}`,
    clientReference: `T${String(i + 1).padStart(3, '0')}`,
    name: `${tree} Estates Ltd`,
    clientType: 'limited_company',
  })),
];

const contactsA = [
  {
    ref: 'P-1',
    title: 'Ms',
    firstName: 'Jane',
    lastName: 'Smith',
    email: 'jane@acme.example',
    phone: '+44 7911 123456',
    dateOfBirth: '1975-06-30',
    niNumber: 'ab 12 34 56 c',
    clients: [
      { ref: 'C-1', role: 'director' },
      { ref: 'C-1', role: 'shareholder' },
      { ref: 'C-2', role: 'secretary' },
    ],
  },
  { ref: 'P-2', firstName: 'Adam', lastName: 'Brown', clients: [{ ref: 'C-1', role: 'primary_contact' }] },
];

const addressesA = [
  {
    ref: 'A-1',
    owner: { type: 'client', ref: 'C-1' },
    kind: 'registered',
    line1: '1 Old Road',
    town: 'Leeds',
    postcode: 'LS1 5HD',
    from: '2015-01-01',
    to: '2021-02-28',
  },
  {
    ref: 'A-2',
    owner: { type: 'client', ref: 'C-1' },
    kind: 'registered',
    line1: '2 New Street',
    line2: 'Floor 3',
    town: 'Leeds',
    county: 'West Yorkshire',
    postcode: 'LS2 8JS',
    from: '2021-03-01',
  },
  {
    ref: 'A-3',
    owner: { type: 'client', ref: 'C-1' },
    kind: 'trading',
    line1: '3 Market Place',
    town: 'York',
    postcode: 'YO1 8RE',
    from: '2022-06-01',
  },
  {
    ref: 'A-4',
    owner: { type: 'contact', ref: 'P-1' },
    kind: 'home',
    line1: '4 Garden Lane',
    town: 'Harrogate',
    postcode: 'HG1 2RD',
    from: '2010-05-01',
  },
  {
    ref: 'A-5',
    owner: { type: 'client', ref: 'C-1' },
    kind: 'correspondence',
    line1: 'PO Box 1',
    town: 'Paris',
    postcode: '75001',
    country: 'FR',
    from: '2012-01-01',
    to: '2014-12-31',
  },
];

async function runImport(api: Api, token: string, batches: object[]): Promise<ImportView> {
  const started = await api.startImport();
  assert.equal(started.statusCode, 201, started.body);
  const { id } = json<ImportView>(started);
  for (const [i, batch] of batches.entries()) {
    const res = await api.putBatch(id, i + 1, batch);
    assert.equal(res.statusCode, 202, res.body);
  }
  assert.equal((await api.complete(id, batches.length)).statusCode, 202);
  return waitForCompletion(t.app, token, id);
}

before(async () => {
  t = await startTestApp();
  const sourceA = await createSource(t.db, 'brightmanager', 'Practice A');
  const sourceB = await createSource(t.db, 'brightmanager', 'Practice B');
  practiceA = sourceA.practiceId;
  a = sourceClient(t.app, sourceA.token);
  b = sourceClient(t.app, sourceB.token);
  const doneA = await runImport(a, sourceA.token, [
    { type: 'addresses', records: addressesA },
    { type: 'contacts', records: contactsA },
    { type: 'clients', records: clientsA },
  ]);
  assert.deepEqual(Object.fromEntries(Object.entries(doneA.counts).map(([type, c]) => [type, [c.imported, c.failed]])), {
    clients: [30, 0],
    contacts: [2, 0],
    addresses: [5, 0],
  });
  const doneB = await runImport(b, sourceB.token, [
    { type: 'clients', records: [{ ref: 'C-1', clientReference: 'ACME01', name: 'Acme Trading Ltd', clientType: 'limited_company' }] },
  ]);
  assert.equal(doneB.counts.clients.imported, 1);
});

after(async () => {
  await t?.close();
});

const list = async (api: Api, query: Record<string, string | number>) => {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await api.get(`/v1/clients?${params.toString()}`);
  assert.equal(res.statusCode, 200, res.body);
  return json<ClientPage>(res);
};
const names = async (api: Api, search: string) => (await list(api, { search })).clients.map((c) => c.name);
const clientId = async (api: Api, reference: string) => (await list(api, { search: reference })).clients[0]!.id;

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

// The source and ref of each link; how it was matched is asserted where it matters.
const refsOf = (sources: SourceRef[]) => sources.map(({ source, ref }) => ({ source, ref }));

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

test('search tolerates accents, letter case, punctuation, word order and small typos', async () => {
  assert.equal((await names(a, 'Muller'))[0], 'Müller & Söhne Ltd');
  assert.equal((await names(a, 'Söhne Müller'))[0], 'Müller & Söhne Ltd');
  assert.equal((await names(a, 'MULLER, sohne!'))[0], 'Müller & Söhne Ltd');
  assert.equal((await names(a, 'Acne Trading'))[0], 'Acme Trading Ltd'); // one wrong letter
  assert.equal((await names(a, 'acme tradng'))[0], 'Acme Trading Ltd'); // one missing letter
  assert.equal((await names(a, 'acme ltd'))[0], 'Acme Trading Ltd');
  assert.equal((await names(a, 'obrien'))[0], "O'Brien Plumbing");
  assert.equal((await names(a, 'smith jones'))[0], 'Jones, Smith & Partners LLP');
  assert.deepEqual(await names(a, 'zzyzx quokka'), []);
});

test('legal suffixes are folded: either form finds the other first, and the closest name ranks first', async () => {
  assert.deepEqual((await names(a, 'Peak Dental Care Limited')).slice(0, 2), ['Peak Dental Care Ltd', 'Peak Dental Care Services Ltd']);
  assert.equal((await names(a, 'the peak dental care (uk) ltd'))[0], 'Peak Dental Care Ltd');
  assert.deepEqual((await names(a, 'Bracken Holdings Ltd')).slice(0, 2), ['Bracken Holdings Limited', 'Brown Holdings Limited']);
  assert.equal((await names(a, 'Acme Trading Limited'))[0], 'Acme Trading Ltd');
  assert.equal((await names(a, 'muller and sohne'))[0], 'Müller & Söhne Ltd');
});

test('typos in short words and transpositions are found, closest first', async () => {
  assert.equal((await names(a, 'Smtih'))[0], 'John Smith');
  assert.equal((await names(a, 'Jonse Smith'))[0], 'Jones, Smith & Partners LLP');
  assert.equal((await names(a, 'Bracekn'))[0], 'Bracken Holdings Limited');
  assert.equal((await names(a, 'Peak Dnetal'))[0], 'Peak Dental Care Ltd');
});

test('exact names first, then names starting with the search, then the rest; ties deterministic', async () => {
  const found = await names(a, 'peak dental');
  assert.deepEqual(found.slice(0, 2), ['Peak Dental Care Ltd', 'Peak Dental Care Services Ltd']);
  // Of names matching alike, those written most like the search come first (here the shortest), equal ones by
  // name; the same search always gives the same order.
  const estates = await names(a, 'Estates');
  assert.deepEqual(estates.slice(0, 4), ['Elm Estates Ltd', 'Fir Estates Ltd', 'Oak Estates Ltd', 'Yew Estates Ltd']);
  assert.deepEqual(await names(a, 'Estates'), estates);
  assert.equal((await names(a, 'Peak Dental Care Services'))[0], 'Peak Dental Care Services Ltd');
});

test('search finds a client reference or company number, exactly or by its beginning, first', async () => {
  for (const query of ['ACME01', 'acme01', 'ACM', '01234567', '0123 4567', '012345']) {
    assert.equal((await names(a, query))[0], 'Acme Trading Ltd', query);
  }
  assert.equal((await names(a, 'sc654321'))[0], 'Müller & Söhne Ltd');
  // a search of LIKE's wildcards matches them literally, not every client
  assert.deepEqual(await names(a, '%'), []);
  assert.deepEqual(await names(a, '_'), []);
});

test('search results page by cursor in rank order, each once', async () => {
  const full = (await list(a, { search: 'estates ltd', limit: 200 })).clients.map((c) => c.id);
  assert.ok(full.length >= 21, `found ${full.length}`);
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(a, cursor ? { search: 'estates ltd', limit: 4, cursor } : { search: 'estates ltd', limit: 4 });
    paged.push(...page.clients.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor && paged.length < 100);
  assert.deepEqual(paged, full);
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

const contactList = async (api: Api, query: Record<string, string | number>) => {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await api.get(`/v1/contacts?${params.toString()}`);
  assert.equal(res.statusCode, 200, res.body);
  return json<ContactPage>(res);
};
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
