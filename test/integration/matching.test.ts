// One client across products (SPEC §9), through the HTTP API: BrightManager's export, then BrightBooks' export of
// the same practice. Each rule with a case that joins and one that must not (look-alikes stay apart), review
// items of each kind, values kept per source, roles accumulating on one person, and a re-send matching nothing twice.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPractice, createSourceToken } from '../../src/practices/practice.service.ts';
import { KEY_HOLDERS_LIMIT } from '../../src/pipeline/match.sql.ts';
import { sourceClient, createSources, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let practiceId: string;
const tokens: Record<string, string> = {};
before(async () => {
  t = await startTestApp();
  const created = await createSources(t.db, 'Matching Practice');
  practiceId = created.practiceId;
  Object.assign(tokens, created.tokens);
});
after(async () => {
  await t?.close();
});

interface ImportCounts {
  received: number;
  imported: number;
  failed: number;
  skipped: number;
  matched: number;
}
type Batch = { type: 'clients' | 'contacts' | 'addresses'; records: object[] };

async function runImport(token: string, batches: Batch[]): Promise<Record<string, ImportCounts>> {
  const c = sourceClient(t.app, token);
  const started = await c.startImport();
  assert.equal(started.statusCode, 201, started.body);
  const id = started.json<{ id: string }>().id;
  for (const [i, body] of batches.entries()) {
    const res = await c.putBatch(id, i + 1, body);
    assert.equal(res.statusCode, 202, res.body);
  }
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  const done = (await waitForCompletion(t.app, token, id)) as { counts: Record<string, ImportCounts> };
  return done.counts;
}

const client = (ref: string, clientReference: string, name: string, extra: object = {}) => ({
  ref,
  clientReference,
  name,
  clientType: 'limited_company',
  ...extra,
});
const address = (ref: string, owner: { type: string; ref: string }, line1: string, extra: object = {}) => ({
  ref,
  owner,
  kind: 'registered',
  line1,
  town: 'Leeds',
  postcode: 'LS1 5HD',
  from: '2019-04-01',
  ...extra,
});

const manager: Batch[] = [
  {
    type: 'clients',
    records: [
      client('M-1', 'ACME01', 'Acme Trading Ltd', { companyNumber: '01234567', utr: '8123456780' }),
      client('M-2', 'VATG01', 'Group Member One Ltd', { companyNumber: '07654321', vatNumber: 'GB100000034' }),
      client('M-3', 'PEAK01', 'Peak Dental Care Ltd', { email: 'hello@peakdental.example' }),
      client('M-4', 'CONF01', 'Conflicted Ltd', { companyNumber: '05555555', utr: '6123561509' }),
      client('M-5', 'LOOK01', 'Brown Holdings Ltd', { email: 'info@brown.example' }),
    ],
  },
  {
    type: 'contacts',
    records: [
      { ref: 'MP-1', firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.example', clients: [{ ref: 'M-1', role: 'director' }] },
    ],
  },
  { type: 'addresses', records: [address('MA-1', { type: 'client', ref: 'M-1' }, '1 Park Row')] },
];

const books: Batch[] = [
  {
    type: 'clients',
    records: [
      // joins M-1 by company number, brings an email M-1 lacks, and a name spelt differently
      client('B-1', 'A001', 'Acme Trading Limited', { companyNumber: '1234567', email: 'accounts@acme.example' }),
      // the same VAT number (a branch of it) as M-2 but another company: a VAT group, kept apart without review
      client('B-2', 'A002', 'Group Member Two Ltd', { companyNumber: '08888888', vatNumber: 'GB100000034001' }),
      // the same folded name and email as M-3, no identifier: its own client, and a possible match
      client('B-3', 'A003', 'Peak Dental Care Limited', { email: 'HELLO@peakdental.example' }),
      // the same company number as M-4, another UTR: a conflict, never a join
      client('B-4', 'A004', 'Conflicted Ltd', { companyNumber: '05555555', utr: '1123666238' }),
      // M-1's UTR, but M-1 already has a BrightBooks record (B-1): one source's two refs never become one client
      client('B-5', 'A005', 'Acme Trading (Scotland) Ltd', { utr: '8123456780' }),
      // the same name as M-5 but nothing else in common: a look-alike, stays apart without review
      client('B-6', 'A006', 'Brown Holdings Limited', { email: 'office@other-brown.example' }),
    ],
  },
  {
    type: 'contacts',
    records: [
      // the same person as MP-1 (name and email): one person with two roles on one client
      { ref: 'BP-1', firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.example', clients: [{ ref: 'B-1', role: 'shareholder' }] },
      // same name, other details: another Jane Smith
      { ref: 'BP-2', firstName: 'Jane', lastName: 'Smith', email: 'js@elsewhere.example', clients: [{ ref: 'B-3', role: 'director' }] },
    ],
  },
  {
    type: 'addresses',
    records: [
      address('BA-1', { type: 'client', ref: 'B-1' }, '1 Park Row', { county: 'West Yorkshire' }), // equal entry: joins MA-1
      address('BA-2', { type: 'client', ref: 'B-1' }, '9 Wellington St', { kind: 'trading' }), // another entry of the same client
    ],
  },
];

interface Link {
  source: string;
  ref: string;
  central_id: string;
  matched_by: string;
  values: Record<string, string> | null;
}
async function links(type: string): Promise<Map<string, Link>> {
  const { rows } = await t.db.query<Link>(
    `SELECT source, ref, central_id, matched_by, "values" FROM source_records WHERE practice_id = $1 AND record_type = $2`,
    [practiceId, type],
  );
  return new Map(rows.map((r) => [r.ref, r]));
}
async function reviews(): Promise<{ kind: string; refs: string[] }[]> {
  const { rows } = await t.db.query<{ kind: string; refs: string[] }>(
    `SELECT m.kind, array(SELECT r.ref FROM source_records r WHERE r.central_id = ANY (m.records) ORDER BY r.ref) AS refs
       FROM match_reviews m WHERE m.practice_id = $1 ORDER BY m.kind, refs`,
    [practiceId],
  );
  return rows;
}

test("a second product's export joins the first one's records by identifier, person and address", async () => {
  const first = await runImport(tokens.brightmanager!, manager);
  assert.deepEqual([first.clients!.imported, first.clients!.matched, first.contacts!.matched, first.addresses!.matched], [5, 0, 0, 0]);

  const second = await runImport(tokens.brightbooks!, books);
  assert.deepEqual(second.clients, { ...second.clients, received: 6, imported: 6, failed: 0, skipped: 0, matched: 1 });
  assert.equal(second.contacts!.matched, 1);
  assert.equal(second.addresses!.matched, 1);

  const clients = await links('clients');
  assert.equal(clients.get('B-1')!.central_id, clients.get('M-1')!.central_id);
  assert.equal(clients.get('B-1')!.matched_by, 'company_number');
  assert.deepEqual(clients.get('B-1')!.values, { clientReference: 'A001', name: 'Acme Trading Limited' });
  for (const [ref, other] of [
    ['B-2', 'M-2'],
    ['B-3', 'M-3'],
    ['B-4', 'M-4'],
    ['B-5', 'M-1'],
    ['B-6', 'M-5'],
  ] as const) {
    assert.notEqual(clients.get(ref)!.central_id, clients.get(other)!.central_id, `${ref} stays apart from ${other}`);
    assert.equal(clients.get(ref)!.matched_by, 'new');
  }
  const { rows: central } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM clients WHERE practice_id = $1', [practiceId]);
  assert.equal(central[0]!.n, 10);

  // The first source's values stand; the empty email was filled by the second.
  const { rows: acme } = await t.db.query<{ name: string; email: string; client_reference: string }>(
    'SELECT name, email, client_reference FROM clients WHERE id = $1',
    [clients.get('M-1')!.central_id],
  );
  assert.deepEqual(acme[0], { name: 'Acme Trading Ltd', email: 'accounts@acme.example', client_reference: 'ACME01' });

  const contacts = await links('contacts');
  assert.equal(contacts.get('BP-1')!.central_id, contacts.get('MP-1')!.central_id);
  assert.equal(contacts.get('BP-1')!.matched_by, 'name_and_email');
  assert.notEqual(contacts.get('BP-2')!.central_id, contacts.get('MP-1')!.central_id);
  const { rows: roles } = await t.db.query<{ role: string }>('SELECT role FROM client_contacts WHERE contact_id = $1 ORDER BY role', [
    contacts.get('MP-1')!.central_id,
  ]);
  assert.deepEqual(
    roles.map((r) => r.role),
    ['director', 'shareholder'],
  );

  const addresses = await links('addresses');
  assert.equal(addresses.get('BA-1')!.central_id, addresses.get('MA-1')!.central_id);
  assert.equal(addresses.get('BA-1')!.matched_by, 'same_address');
  const { rows: entries } = await t.db.query<{ line1: string; county: string | null }>(
    'SELECT line1, county FROM addresses WHERE client_id = $1 ORDER BY line1',
    [clients.get('M-1')!.central_id],
  );
  assert.deepEqual(entries, [
    { line1: '1 Park Row', county: 'West Yorkshire' },
    { line1: '9 Wellington St', county: null },
  ]);

  assert.deepEqual(await reviews(), [
    { kind: 'conflict', refs: ['B-4', 'M-4'] },
    { kind: 'possible_match', refs: ['B-3', 'M-3'] },
    { kind: 'same_source', refs: ['B-1', 'B-5', 'M-1'] },
  ]);
});

test('a re-send of the second export skips every record, joins nothing twice and opens no review again', async () => {
  const before = await reviews();
  const again = await runImport(tokens.brightbooks!, books);
  assert.deepEqual([again.clients!.skipped, again.clients!.matched, again.contacts!.skipped, again.addresses!.skipped], [6, 0, 2, 2]);
  assert.deepEqual(await reviews(), before);
});

test("one source's two refs with one company number stay two clients, with a same_source review item", async () => {
  const other = await createPractice(t.db, 'Single Source Practice');
  const outcome = await createSourceToken(t.db, other.id, 'brightmanager');
  assert.ok(outcome.ok);
  const counts = await runImport(outcome.value.token, [
    {
      type: 'clients',
      records: [
        client('S-1', 'S1', 'Twin Ltd', { companyNumber: '01234567' }),
        client('S-2', 'S2', 'Twin Ltd', { companyNumber: '01234567' }),
      ],
    },
  ]);
  assert.deepEqual([counts.clients!.imported, counts.clients!.matched], [2, 0]);
  const { rows } = await t.db.query<{ kind: string; n: number }>(
    'SELECT kind, cardinality(records) AS n FROM match_reviews WHERE practice_id = $1',
    [other.id],
  );
  assert.deepEqual(rows, [{ kind: 'same_source', n: 2 }]);
  // Matching is inside the practice: the first practice's company number 01234567 is not this one's.
  const { rows: foreign } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM source_records WHERE practice_id = $1 AND matched_by <> 'new'`,
    [other.id],
  );
  assert.equal(foreign[0]!.n, 0);
});

test('a person with a name more than KEY_HOLDERS_LIMIT people share still joins by the same email, and only by the same name', async () => {
  const other = await createSources(t.db, 'Common Names Practice');
  const smiths = Array.from({ length: KEY_HOLDERS_LIMIT + 2 }, (_, i) => ({
    ref: `JS-${i}`,
    firstName: 'John',
    lastName: 'Smith',
    email: `john.smith${i}@example.com`,
    clients: [{ ref: 'C-1', role: 'director' }],
  }));
  await runImport(other.tokens.brightmanager!, [
    { type: 'clients', records: [client('C-1', 'C1', 'Smiths Ltd', { companyNumber: '01234567' })] },
    { type: 'contacts', records: smiths },
  ]);
  const counts = await runImport(other.tokens.brightbooks!, [
    { type: 'clients', records: [client('B-1', 'B1', 'Smiths Limited', { companyNumber: '01234567' })] },
    {
      type: 'contacts',
      records: [
        {
          ref: 'BJ-1',
          firstName: 'JOHN',
          lastName: 'smith',
          email: 'John.Smith3@example.com',
          clients: [{ ref: 'B-1', role: 'director' }],
        },
        // The same email under another name is somebody else (a shared mailbox): no join.
        {
          ref: 'BJ-2',
          firstName: 'Joan',
          lastName: 'Smith',
          email: 'john.smith4@example.com',
          clients: [{ ref: 'B-1', role: 'secretary' }],
        },
      ],
    },
  ]);
  assert.deepEqual([counts.contacts!.imported, counts.contacts!.matched], [2, 1]);
  const { rows } = await t.db.query<{ ref: string; matched_by: string; joined: string | null }>(
    `SELECT r.ref, r.matched_by, m.ref AS joined FROM source_records r
       LEFT JOIN source_records m ON m.central_id = r.central_id AND m.source = 'brightmanager'
      WHERE r.practice_id = $1 AND r.source = 'brightbooks' AND r.record_type = 'contacts' ORDER BY r.ref`,
    [other.practiceId],
  );
  assert.deepEqual(rows, [
    { ref: 'BJ-1', matched_by: 'name_and_email', joined: 'JS-3' },
    { ref: 'BJ-2', matched_by: 'new', joined: null },
  ]);
});
