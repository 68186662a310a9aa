// The practices the central repository's read tests run on, imported through the API: practice A with 30
// clients (names chosen for search: accents, suffixes, near-misses), two contacts and five addresses; practice B
// with one client named like one of A's. And the readers those tests share.
import assert from 'node:assert/strict';
import type { ClientPage, ContactPage, SourceRef } from '../../src/contract/clients.contract.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from './json.ts';
import { createSource, sourceClient, waitForCompletion, type TestApp } from './test-app.ts';

export type Api = ReturnType<typeof sourceClient>;

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

export const clientsA = [
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

async function runImport(t: TestApp, api: Api, token: string, batches: object[]): Promise<ImportView> {
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

/** Imports both practices; `a` and `b` are their sources' clients, `practiceA` A's id. */
export async function seedPractices(t: TestApp): Promise<{ a: Api; b: Api; practiceA: string }> {
  const sourceA = await createSource(t.db, 'brightmanager', 'Practice A');
  const sourceB = await createSource(t.db, 'brightmanager', 'Practice B');
  const a = sourceClient(t.app, sourceA.token);
  const b = sourceClient(t.app, sourceB.token);
  const doneA = await runImport(t, a, sourceA.token, [
    { type: 'addresses', records: addressesA },
    { type: 'contacts', records: contactsA },
    { type: 'clients', records: clientsA },
  ]);
  assert.deepEqual(Object.fromEntries(Object.entries(doneA.counts).map(([type, c]) => [type, [c.imported, c.failed]])), {
    clients: [30, 0],
    contacts: [2, 0],
    addresses: [5, 0],
  });
  const doneB = await runImport(t, b, sourceB.token, [
    { type: 'clients', records: [{ ref: 'C-1', clientReference: 'ACME01', name: 'Acme Trading Ltd', clientType: 'limited_company' }] },
  ]);
  assert.equal(doneB.counts.clients.imported, 1);
  return { a, b, practiceA: sourceA.practiceId };
}

export const list = async (api: Api, query: Record<string, string | number>) => {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await api.get(`/v1/clients?${params.toString()}`);
  assert.equal(res.statusCode, 200, res.body);
  return json<ClientPage>(res);
};
export const names = async (api: Api, search: string) => (await list(api, { search })).clients.map((c) => c.name);
export const clientId = async (api: Api, reference: string) => (await list(api, { search: reference })).clients[0]!.id;

// The source and ref of each link; how it was matched is asserted where it matters.
export const refsOf = (sources: SourceRef[]) => sources.map(({ source, ref }) => ({ source, ref }));

export const contactList = async (api: Api, query: Record<string, string | number>) => {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await api.get(`/v1/contacts?${params.toString()}`);
  assert.equal(res.statusCode, 200, res.body);
  return json<ContactPage>(res);
};
