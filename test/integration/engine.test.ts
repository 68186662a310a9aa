// The import engine end to end over HTTP: a multi-batch import with planted failures of every kind, its exact
// counts and error rows, the retry round trip, a full re-send importing nothing, and another practice seeing none.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImportList, ImportView, RefLists } from '../../src/contract/imports.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import type { ErrorFileRow } from '../../src/reports/error-file.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

const client = (ref: string, clientReference: string, name: string, extra: object = {}) => ({
  ref,
  clientReference,
  name,
  clientType: 'limited_company',
  ...extra,
});
const contact = (ref: string, firstName: string, lastName: string, clients: { ref: string; role: string }[], extra: object = {}) => ({
  ref,
  firstName,
  lastName,
  clients,
  ...extra,
});
const address = (ref: string, owner: { type: string; ref: string }, line1: string, postcode: string, extra: object = {}) => ({
  ref,
  owner,
  line1,
  town: 'Leeds',
  postcode,
  from: '2019-04-01',
  ...extra,
});

// The export as the source first sends it: failures of every kind planted.
const clientsBatch3 = [
  client('C-1', 'ACME01', 'Acme Trading Ltd', { vatNumber: 'GB980780684', utr: '1955839661', email: 'office@acme.example' }),
  client('C-2', 'BETA01', 'Beta Holdings Ltd', { vatNumber: 'GB123456789', utr: '1234567890', email: 'bob@' }), // three bad fields
  client('C-3', 'GAMMA01', 'Gamma Ltd'),
  client('C-4', 'DELTA01', 'Delta Ltd'), // already imported before: skipped
  client('C-6', 'EPS01', '=HYPERLINK("http://evil.example")', { clientType: 'ltd' }), // formula-like name, bad type
];
const clientsBatch4 = [
  client('C-3', 'GAMMA02', 'Gamma Duplicate Ltd'), // duplicate of batch 3's C-3
  client('C-7', 'ZETA01', 'Zeta Ltd'),
];
const contactsBatch1 = [
  contact('P-1', 'Jane', 'Smith', [
    { ref: 'C-1', role: 'director' },
    { ref: 'C-3', role: 'shareholder' },
  ]),
  contact('P-2', 'John', 'Doe', [{ ref: 'C-2', role: 'director' }]), // parent client failed
  contact('P-3', 'Ann', 'Lee', [{ ref: 'C-99', role: 'secretary' }]), // unknown client
  contact('P-4', 'Raj', 'Patel', [{ ref: 'C-4', role: 'owner' }]), // linked to an already imported client
  contact('P-5', 'Zoe', 'King', [{ ref: 'C-1', role: 'other' }], { dateOfBirth: '2999-01-01' }), // date in the future
];
const addressesBatch2 = [
  address('A-1', { type: 'client', ref: 'C-1' }, '1 Park Row', 'LS1 5HD', { kind: 'registered' }),
  address('A-2', { type: 'contact', ref: 'P-2' }, '2 Park Row', 'LS1 5HD'), // two-level cascade C-2 → P-2 → A-2
  address('A-3', { type: 'client', ref: 'C-2' }, '3 Park Row', 'LS1 5HD'), // one-level cascade
  address('A-4', { type: 'contact', ref: 'P-9' }, '4 Park Row', 'LS1 5HD'), // unknown owner
  address('A-5', { type: 'client', ref: 'C-1' }, '5 Park Row', 'XYZ 123'), // invalid postcode
  address('A-6', { type: 'contact', ref: 'P-1' }, '6 Park Row', 'LS1 5HD', { kind: 'home', to: '2021-03-31' }),
];

async function runImport(token: string, batches: { n: number; body: object }[], start: object = {}) {
  const c = sourceClient(t.app, token);
  const started = await c.startImport(start);
  assert.equal(started.statusCode, 201, started.body);
  const { id } = json<ImportView>(started);
  for (const { n, body } of batches) {
    const res = await c.putBatch(id, n, body);
    assert.equal(res.statusCode, 202, res.body);
  }
  const completed = await c.complete(id, batches.length);
  assert.equal(completed.statusCode, 202, completed.body);
  return waitForCompletion(t.app, token, id);
}

const countsOf = (view: ImportView) =>
  Object.fromEntries(Object.entries(view.counts).map(([k, v]) => [k, [v.received, v.imported, v.failed, v.skipped]]));

test('a multi-batch import with planted failures: exact counts, error rows, retry, re-send, isolation', async () => {
  const { token } = await createSource(t.db);
  const c = sourceClient(t.app, token);

  // An earlier import brought C-4 in.
  const earlier = await runImport(token, [{ n: 1, body: { type: 'clients', records: [client('C-4', 'DELTA01', 'Delta Ltd')] } }]);
  assert.deepEqual(countsOf(earlier).clients, [1, 1, 0, 0]);

  // Batches uploaded out of order: 3, 1, 4, 2.
  const started = await c.startImport();
  const { id } = json<ImportView>(started);
  for (const [n, body] of [
    [3, { type: 'clients', records: clientsBatch3 }],
    [1, { type: 'contacts', records: contactsBatch1 }],
    [4, { type: 'clients', records: clientsBatch4 }],
    [2, { type: 'addresses', records: addressesBatch2 }],
  ] as const) {
    const res = await c.putBatch(id, n, body);
    assert.equal(res.statusCode, 202, res.body);
  }
  assert.equal((await c.complete(id, 4)).statusCode, 202);
  const done = await waitForCompletion(t.app, token, id);

  // received = imported + failed + skipped, per type
  assert.deepEqual(countsOf(done), {
    clients: [7, 3, 3, 1], // imported C-1 C-3 C-7; failed C-2, C-3 (duplicate), C-6; skipped C-4
    contacts: [5, 2, 3, 0], // imported P-1 P-4; failed P-2 P-3 P-5
    addresses: [6, 2, 4, 0], // imported A-1 A-6; failed A-2 A-3 A-4 A-5
  });
  assert.equal(done.progress, 1);
  assert.equal(done.errorFile, `/v1/imports/${id}/errors`);

  const rows = json<ErrorFileRow[]>(await c.get(`/v1/imports/${id}/errors?format=json`));
  const brief = rows.map((r) => [r.record_type, r.record_ref, r.field, r.code, r.client_reference]);
  assert.deepEqual(brief, [
    ['client', 'C-2', 'email', 'invalid_email', 'BETA01'],
    ['client', 'C-2', 'utr', 'invalid_utr', 'BETA01'],
    ['client', 'C-2', 'vatNumber', 'invalid_vat_number', 'BETA01'],
    ['client', 'C-6', 'clientType', 'invalid_value', 'EPS01'],
    ['client', 'C-3', 'ref', 'duplicate_ref', 'GAMMA02'],
    ['contact', 'P-3', 'clients[0].ref', 'parent_not_found', null],
    ['contact', 'P-5', 'dateOfBirth', 'date_not_in_past', 'ACME01'],
    ['address', 'A-4', 'owner.ref', 'parent_not_found', null],
    ['address', 'A-5', 'postcode', 'invalid_postcode', 'ACME01'],
    // Knock-on failures after every root cause.
    ['contact', 'P-2', 'clients[0].ref', 'parent_failed', 'BETA01'],
    ['address', 'A-2', 'owner.ref', 'parent_failed', 'BETA01'],
    ['address', 'A-3', 'owner.ref', 'parent_failed', 'BETA01'],
  ]);
  const reason = (ref: string, field: string) => rows.find((r) => r.record_ref === ref && r.field === field)!.reason as string;
  assert.equal(reason('P-2', 'clients[0].ref'), 'Parent client C-2 (BETA01) failed to import.');
  assert.equal(reason('A-2', 'owner.ref'), 'Parent contact P-2 (John Doe) failed to import.');
  assert.match(reason('P-3', 'clients[0].ref'), /C-99.*not found/);
  assert.match(reason('A-5', 'postcode'), /XYZ 123.*not a valid UK postcode/);
  assert.ok(!reason('C-2', 'utr').includes('1234567890'), 'a UTR is masked in reasons');
  assert.match(reason('C-2', 'utr'), /890/);
  assert.equal(rows.find((r) => r.record_ref === 'A-5')!.record_name, '5 Park Row, XYZ 123');
  assert.equal(rows.find((r) => r.record_ref === 'P-2')!.record_name, 'John Doe');

  // The CSV: BOM, the contract's leading columns, one row per failing field, formula cells neutralised.
  const csv = await c.get(`/v1/imports/${id}/errors`);
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf');
  const lines = csv.body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  assert.equal(lines[0], 'record_type,record_ref,record_name,client_reference,field,reason,caused_by,still_failing,batch,position,code');
  assert.equal(lines.length, 1 + rows.length);
  assert.ok(
    lines.some((l) => l.startsWith(`client,C-6,"'=HYPERLINK(""http://evil.example"")",EPS01,clientType,`)),
    lines.join('\n'),
  );

  // Central repository: exactly the imported records, links and roles.
  const central = await t.db.query(`SELECT
      (SELECT count(*) FROM clients)::int AS clients, (SELECT count(*) FROM contacts)::int AS contacts,
      (SELECT count(*) FROM addresses)::int AS addresses,
      (SELECT string_agg(c.client_reference || ':' || cc.role, ',' ORDER BY c.client_reference) FROM client_contacts cc JOIN clients c ON c.id = cc.client_id) AS roles`);
  assert.deepEqual(central.rows[0], { clients: 4, contacts: 2, addresses: 2, roles: 'ACME01:director,DELTA01:owner,GAMMA01:shareholder' });

  // Retry: the failed refs, a linked import asking for exactly them, the corrected export sent in full.
  const failed = json<RefLists>(await c.get(`/v1/imports/${id}/failed-refs`));
  assert.deepEqual(failed, { clients: ['C-2', 'C-6'], contacts: ['P-2', 'P-3', 'P-5'], addresses: ['A-2', 'A-3', 'A-4', 'A-5'] });
  const retry = await c.post(`/v1/imports/${id}/retry`);
  assert.equal(retry.statusCode, 201, retry.body);
  assert.equal(json<ImportView>(retry).retryOf, id);
  assert.deepEqual(json<ImportView>(retry).requested, failed);
  const receiving = json<ImportList>(await c.get('/v1/imports?status=receiving')).imports;
  assert.deepEqual(
    receiving.map((i) => i.id),
    [json<ImportView>(retry).id],
  );

  const corrected = {
    clients: [
      ...clientsBatch3.map((r) =>
        r.ref === 'C-2'
          ? client('C-2', 'BETA01', 'Beta Holdings Ltd', { vatNumber: 'GB980780684' })
          : r.ref === 'C-6'
            ? client('C-6', 'EPS01', 'Epsilon Ltd')
            : r,
      ),
      clientsBatch4[1]!,
    ],
    contacts: contactsBatch1.map((r) =>
      r.ref === 'P-3'
        ? contact('P-3', 'Ann', 'Lee', [{ ref: 'C-1', role: 'secretary' }])
        : r.ref === 'P-5'
          ? contact('P-5', 'Zoe', 'King', [{ ref: 'C-1', role: 'other' }])
          : r,
    ),
    addresses: addressesBatch2.map((r) =>
      r.ref === 'A-4'
        ? address('A-4', { type: 'contact', ref: 'P-1' }, '4 Park Row', 'LS1 5HD')
        : r.ref === 'A-5'
          ? address('A-5', { type: 'client', ref: 'C-1' }, '5 Park Row', 'LS1 5HE')
          : r,
    ),
  };
  const retryId = json<ImportView>(retry).id;
  let n = 0;
  for (const type of ['addresses', 'contacts', 'clients'] as const) {
    assert.equal((await c.putBatch(retryId, ++n, { type, records: corrected[type] })).statusCode, 202);
  }
  assert.equal((await c.complete(retryId, n)).statusCode, 202);
  const retried = await waitForCompletion(t.app, token, retryId);
  assert.deepEqual(countsOf(retried), {
    clients: [6, 2, 0, 4],
    contacts: [5, 3, 0, 2],
    addresses: [6, 4, 0, 2],
  });
  assert.equal(retried.errorFile, null);
  assert.deepEqual(json<RefLists>(await c.get(`/v1/imports/${id}/failed-refs`)), { clients: [], contacts: [], addresses: [] });
  const lee = await t.db.query(`SELECT c.client_reference, cc.role FROM contacts p JOIN client_contacts cc ON cc.contact_id = p.id
                                 JOIN clients c ON c.id = cc.client_id WHERE p.last_name = 'Lee'`);
  assert.deepEqual(lee.rows, [{ client_reference: 'ACME01', role: 'secretary' }]);

  // The full corrected export again, as a new import: everything is skipped, nothing duplicated.
  const resend = await runImport(token, [
    { n: 1, body: { type: 'clients', records: corrected.clients } },
    { n: 2, body: { type: 'contacts', records: corrected.contacts } },
    { n: 3, body: { type: 'addresses', records: corrected.addresses } },
  ]);
  assert.deepEqual(countsOf(resend), { clients: [6, 0, 0, 6], contacts: [5, 0, 0, 5], addresses: [6, 0, 0, 6] });
  const totals = await t.db.query(`SELECT (SELECT count(*) FROM clients)::int AS clients, (SELECT count(*) FROM contacts)::int AS contacts,
                                          (SELECT count(*) FROM addresses)::int AS addresses, (SELECT count(*) FROM client_contacts)::int AS roles`);
  assert.deepEqual(totals.rows[0], { clients: 6, contacts: 5, addresses: 6, roles: 6 });

  // Another practice sees none of it.
  const other = sourceClient(t.app, (await createSource(t.db, 'brightmanager', 'Other Practice')).token);
  for (const url of [
    `/v1/imports/${id}`,
    `/v1/imports/${id}/errors`,
    `/v1/imports/${id}/errors?format=json`,
    `/v1/imports/${id}/failed-refs`,
    `/v1/imports/${id}/events`,
  ]) {
    const res = await other.get(url);
    assert.equal(res.statusCode, 404, url);
    assert.ok(!res.body.includes('C-2'), url);
  }
  assert.equal((await other.post(`/v1/imports/${id}/retry`)).statusCode, 404);
  assert.deepEqual(json<ImportList>(await other.get('/v1/imports')).imports, []);
});

test('a retry skips records outside the requested refs and can be retried itself', async () => {
  const { token } = await createSource(t.db, 'brightbooks');
  const c = sourceClient(t.app, token);
  const first = await runImport(token, [
    { n: 1, body: { type: 'clients', records: [client('B-1', 'B1', 'One Ltd'), client('B-2', 'B2', 'Two Ltd', { clientType: 'bad' })] } },
  ]);
  assert.deepEqual(countsOf(first).clients, [2, 1, 1, 0]);
  const retry = json<ImportView>(await c.post(`/v1/imports/${first.id}/retry`));
  assert.deepEqual(retry.requested, { clients: ['B-2'], contacts: [], addresses: [] });
  // B-3 was never asked for: skipped even though it is new. B-2 still broken: fails again.
  await c.putBatch(retry.id, 1, {
    type: 'clients',
    records: [client('B-2', 'B2', 'Two Ltd', { clientType: 'worse' }), client('B-3', 'B3', 'Three Ltd')],
  });
  await c.complete(retry.id, 1);
  const retried = await waitForCompletion(t.app, token, retry.id);
  assert.deepEqual(countsOf(retried).clients, [2, 0, 1, 1]);
  assert.deepEqual(retried.notSent, { clients: 0, contacts: 0, addresses: 0 });
  assert.equal(first.notSent, null, 'only a retry has refs it was asked for');
  const second = json<ImportView>(await c.post(`/v1/imports/${retry.id}/retry`));
  assert.equal(second.retryOf, retry.id);
  assert.deepEqual(second.requested?.clients, ['B-2']);
  // Retrying an import that has not completed is refused.
  assert.equal((await c.post(`/v1/imports/${second.id}/retry`)).statusCode, 409);
  // A retry completed without the record it asked for says so; the ref keeps failing.
  await c.complete(second.id, 0);
  const empty = await waitForCompletion(t.app, token, second.id);
  assert.deepEqual(empty.notSent, { clients: 1, contacts: 0, addresses: 0 });
  assert.deepEqual(json<RefLists>(await c.get(`/v1/imports/${first.id}/failed-refs`)).clients, ['B-2']);
});

test('an import with no batches completes with zero counts; the same ref from another source is a new record', async () => {
  const { token } = await createSource(t.db, 'brightap');
  const empty = await runImport(token, []);
  assert.equal(empty.status, 'completed');
  assert.deepEqual(countsOf(empty).clients, [0, 0, 0, 0]);
});

test('Idempotency-Key: starting again with the same key answers 200 with the same import; reusing it for another request is refused', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Idempotent Practice');
  const start = (key: string, payload: object = {}, url = '/v1/imports') =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'idempotency-key': key }, payload });
  const first = await start('key-1');
  assert.equal(first.statusCode, 201);
  const firstId = json<ImportView>(first).id;
  const again = await start('key-1');
  assert.equal(again.statusCode, 200);
  assert.equal(json<ImportView>(again).id, firstId);
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM imports i JOIN practices p ON p.id = i.practice_id WHERE p.name = 'Idempotent Practice'`,
  );
  assert.equal(rows[0]!.n, 1, 'no second import');

  // The same key for a retry is another request: refused, nothing created. (A retry needs a failed record.)
  const source = sourceClient(t.app, token);
  await source.putBatch(firstId, 1, { type: 'clients', records: [client('K-1', 'K1', 'Key Ltd', { clientType: 'bad' })] });
  await source.complete(firstId, 1);
  await waitForCompletion(t.app, token, firstId);
  const reused = await start('key-1', {}, `/v1/imports/${firstId}/retry`);
  assert.equal(reused.statusCode, 409);
  assert.equal(json<Problem>(reused).code, 'idempotency_key_reused');
  const retry = await start('key-2', {}, `/v1/imports/${firstId}/retry`);
  assert.equal(retry.statusCode, 201);
  const retryAgain = await start('key-2', {}, `/v1/imports/${firstId}/retry`);
  assert.equal(retryAgain.statusCode, 200);
  assert.equal(json<ImportView>(retryAgain).id, json<ImportView>(retry).id);
  // Keys belong to one practice and source: another source's same key starts its own import.
  const other = await createSource(t.db, 'brightbooks', 'Idempotent Other');
  const elsewhere = await t.app.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { authorization: `Bearer ${other.token}`, 'idempotency-key': 'key-1' },
    payload: {},
  });
  assert.equal(elsewhere.statusCode, 201);
  assert.notEqual(json<ImportView>(elsewhere).id, firstId);
});
