// Receiving a batch (SPEC §3 batch rules, §4 shapes): records staged typed and normalised, field errors stored,
// receipts, a batch sent again (idempotency), batches in any order, batch numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import type { BatchReceipt, ImportView } from '../../src/contract/imports.contract.ts';
import type { Row } from '../helpers/database.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { intakeHelpers, NOTHING, client, clients, sha256hex } from '../helpers/intake.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});
const { stored, assertNothingStored, newImport } = intakeHelpers(() => t);

test('PUT batch → 202 receipt; records staged typed and normalised; field errors stored, one row per field', async () => {
  const { c, id } = await newImport();
  const good = {
    ref: ' C-1 ',
    clientReference: 'ACME01',
    name: ' Acme Ltd ',
    clientType: 'Limited_Company',
    companyNumber: 'sc123456',
    vatNumber: 'GB 980 7806 84',
    utr: '11234 56789',
    email: 'Info@ACME.co.uk',
    phone: '020 7123 4567',
    website: 'acme.co.uk',
    unknownField: 'ignored',
  };
  const bad = { ref: 'C-BAD', clientReference: 'BAD01', name: 'Bad Co', clientType: 'ltd', email: 'not-an-email', phone: '12' };
  const bytes = Buffer.from(JSON.stringify({ type: 'clients', records: [good, bad, client('C-3', { companyNumber: '', email: '  ' })] }));
  const res = await c.putBatch(id, 1, bytes);
  assert.equal(res.statusCode, 202, res.body);
  const receipt = json<BatchReceipt>(res);
  assert.equal(receipt.importId, id);
  assert.equal(receipt.batch, 1);
  assert.equal(receipt.type, 'clients');
  assert.equal(receipt.sha256, sha256hex(bytes));
  assert.equal(receipt.bytes, bytes.length);
  assert.ok(!Number.isNaN(Date.parse(receipt.receivedAt)));
  assert.deepEqual(receipt.records, { received: 3, valid: 2, invalid: 1 });
  assert.equal(receipt.errorsTruncated, false);
  assert.deepEqual(
    receipt.errors.map((e) => [e.position, e.ref, e.field, e.code]),
    [
      [2, 'C-BAD', 'clientType', 'invalid_value'],
      [2, 'C-BAD', 'email', 'invalid_email'],
      [2, 'C-BAD', 'phone', 'invalid_phone'],
    ],
  );
  for (const e of receipt.errors) assert.ok(typeof e.reason === 'string' && e.reason.length > 10, e.reason);

  const { rows } = await t.db.query<Row>(
    `SELECT batch_no, pos, ref, client_reference, name, client_type, company_number, vat_number, utr, email, phone, website,
            record_name, valid, outcome, raw
       FROM staged_clients WHERE import_id = $1 ORDER BY pos`,
    [id],
  );
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0], {
    batch_no: 1,
    pos: 1,
    ref: 'C-1',
    client_reference: 'ACME01',
    name: 'Acme Ltd',
    client_type: 'limited_company',
    company_number: 'SC123456',
    vat_number: 'GB980780684',
    utr: '1123456789',
    email: 'Info@acme.co.uk',
    phone: '+442071234567',
    website: 'acme.co.uk',
    record_name: 'Acme Ltd',
    valid: true,
    outcome: null,
    raw: null,
  });
  assert.equal(rows[1]!.valid, false);
  assert.equal(rows[1]!.ref, 'C-BAD');
  assert.equal(rows[1]!.client_type, null);
  assert.deepEqual(rows[1]!.raw, bad, 'an invalid record keeps what the source sent');
  assert.equal(rows[2]!.valid, true, 'empty optional strings count as absent');
  assert.equal(rows[2]!.company_number, null);
  assert.equal(rows[2]!.email, null);

  const errors = await t.db.query<Row>(
    `SELECT record_type, batch_no, pos, field, code, ref, record_name, client_reference, reason
       FROM record_errors WHERE import_id = $1 ORDER BY field`,
    [id],
  );
  assert.equal(errors.rows.length, 3, 'a record with three bad fields has three error rows');
  assert.deepEqual(
    errors.rows.map((r) => [r.record_type, r.batch_no, r.pos, r.field, r.code, r.ref, r.record_name, r.client_reference]),
    [
      ['clients', 1, 2, 'clientType', 'invalid_value', 'C-BAD', 'Bad Co', 'BAD01'],
      ['clients', 1, 2, 'email', 'invalid_email', 'C-BAD', 'Bad Co', 'BAD01'],
      ['clients', 1, 2, 'phone', 'invalid_phone', 'C-BAD', 'Bad Co', 'BAD01'],
    ],
  );
  assert.deepEqual(
    errors.rows.map((r) => r.reason),
    [...receipt.errors].sort((a, b) => a.field.localeCompare(b.field)).map((e) => e.reason),
  );

  const counts = await t.db.query('SELECT record_type, received, invalid FROM import_counts WHERE import_id = $1 ORDER BY record_type', [
    id,
  ]);
  assert.deepEqual(counts.rows, [
    { record_type: 'addresses', received: 0, invalid: 0 },
    { record_type: 'clients', received: 3, invalid: 1 },
    { record_type: 'contacts', received: 0, invalid: 0 },
  ]);
  const batch = await t.db.query<{ record_type: string; sha256: Buffer; byte_size: number; record_count: number }>(
    'SELECT record_type, sha256, byte_size, record_count FROM batches WHERE import_id = $1',
    [id],
  );
  assert.equal(batch.rows.length, 1);
  assert.equal(batch.rows[0]!.record_type, 'clients');
  assert.equal(batch.rows[0]!.sha256.toString('hex'), sha256hex(bytes));
  assert.equal(batch.rows[0]!.byte_size, bytes.length);
  assert.equal(batch.rows[0]!.record_count, 3);

  const view = json<ImportView>(await c.get(`/v1/imports/${id}`));
  assert.equal(view.status, 'receiving');
  assert.equal(view.batches.received, 1);
  assert.equal(view.counts.clients.received, 3);
});

test('PUT contacts and addresses batches → typed staged rows, one link row per client link, dates and postcodes normalised', async () => {
  const { c, id } = await newImport();
  const contacts = await c.putBatch(id, 1, {
    type: 'contacts',
    records: [
      {
        ref: 'P-1',
        title: 'Ms',
        firstName: 'Jane',
        lastName: 'Smith',
        email: 'jane@example.com',
        phone: '+33 1 42 68 53 00',
        dateOfBirth: '1980-05-01',
        clients: [
          { ref: 'C-1', role: 'Director' },
          { ref: 'C-2', role: 'shareholder' },
        ],
      },
      { ref: 'P-2', lastName: 'Jones', dateOfBirth: '2999-01-01', clients: [{ ref: 'C-1', role: 'boss' }] },
    ],
  });
  assert.equal(contacts.statusCode, 202, contacts.body);
  assert.deepEqual(json<BatchReceipt>(contacts).records, { received: 2, valid: 1, invalid: 1 });
  assert.deepEqual(
    json<BatchReceipt>(contacts).errors.map((e) => [e.position, e.ref, e.field, e.code]),
    [
      [2, 'P-2', 'dateOfBirth', 'date_not_in_past'],
      [2, 'P-2', 'clients[0].role', 'invalid_value'],
    ],
  );
  const staged = await t.db.query(
    `SELECT pos, ref, title, first_name, last_name, email, phone, date_of_birth::text AS dob, first_client_ref, record_name, valid
       FROM staged_contacts WHERE import_id = $1 ORDER BY pos`,
    [id],
  );
  assert.deepEqual(staged.rows, [
    {
      pos: 1,
      ref: 'P-1',
      title: 'Ms',
      first_name: 'Jane',
      last_name: 'Smith',
      email: 'jane@example.com',
      phone: '+33142685300',
      dob: '1980-05-01',
      first_client_ref: 'C-1',
      record_name: 'Jane Smith',
      valid: true,
    },
    {
      pos: 2,
      ref: 'P-2',
      title: null,
      first_name: null,
      last_name: 'Jones',
      email: null,
      phone: null,
      dob: null,
      first_client_ref: 'C-1',
      record_name: 'Jones',
      valid: false,
    },
  ]);
  const links = await t.db.query(
    'SELECT batch_no, pos, idx, client_ref, role FROM staged_contact_links WHERE import_id = $1 ORDER BY pos, idx',
    [id],
  );
  assert.deepEqual(links.rows, [
    { batch_no: 1, pos: 1, idx: 0, client_ref: 'C-1', role: 'director' },
    { batch_no: 1, pos: 1, idx: 1, client_ref: 'C-2', role: 'shareholder' },
    { batch_no: 1, pos: 2, idx: 0, client_ref: 'C-1', role: null },
  ]);

  const addresses = await c.putBatch(id, 2, {
    type: 'addresses',
    records: [
      {
        ref: 'A-1',
        owner: { type: 'Client', ref: 'C-1' },
        kind: 'Registered',
        line1: '1 High St',
        town: 'Leeds',
        postcode: 'ls11aa',
        country: 'gb',
        from: '2020-01-01',
        to: '2021-02-03',
      },
      {
        ref: 'A-2',
        owner: { type: 'contact', ref: 'P-1' },
        line1: '2 Rue X',
        town: 'Paris',
        postcode: '75001',
        country: 'FR',
        from: '2020-01-01',
      },
      {
        ref: 'A-3',
        owner: { type: 'client', ref: 'C-1' },
        line1: '3 High St',
        town: 'Leeds',
        postcode: 'NOT A PC',
        from: '2021-01-01',
        to: '2020-01-01',
      },
    ],
  });
  assert.equal(addresses.statusCode, 202, addresses.body);
  assert.deepEqual(json<BatchReceipt>(addresses).records, { received: 3, valid: 2, invalid: 1 });
  const rows = await t.db.query<Row>(
    `SELECT pos, ref, owner_type, owner_ref, kind, line1, town, postcode, country, valid_from::text AS "from", valid_to::text AS "to", record_name, valid
       FROM staged_addresses WHERE import_id = $1 ORDER BY pos`,
    [id],
  );
  assert.deepEqual(rows.rows[0], {
    pos: 1,
    ref: 'A-1',
    owner_type: 'client',
    owner_ref: 'C-1',
    kind: 'registered',
    line1: '1 High St',
    town: 'Leeds',
    postcode: 'LS1 1AA',
    country: 'GB',
    from: '2020-01-01',
    to: '2021-02-03',
    record_name: '1 High St, LS1 1AA',
    valid: true,
  });
  assert.equal(rows.rows[1]!.postcode, '75001', 'a non-GB postcode is not checked as a UK one');
  assert.equal(rows.rows[1]!.country, 'FR');
  assert.equal(rows.rows[1]!.to, null);
  assert.equal(rows.rows[2]!.valid, false);
  const errors = await t.db.query<Row>(
    'SELECT record_type, batch_no, pos, field, code FROM record_errors WHERE import_id = $1 ORDER BY record_type, pos, field',
    [id],
  );
  assert.deepEqual(
    errors.rows.map((r) => [r.record_type, r.batch_no, r.pos, r.field, r.code]),
    [
      ['addresses', 2, 3, 'postcode', 'invalid_postcode'],
      ['addresses', 2, 3, 'to', 'date_range'],
      ['contacts', 1, 2, 'clients[0].role', 'invalid_value'],
      ['contacts', 1, 2, 'dateOfBirth', 'date_not_in_past'],
    ],
  );
  const counts = await t.db.query('SELECT record_type, received, invalid FROM import_counts WHERE import_id = $1 ORDER BY record_type', [
    id,
  ]);
  assert.deepEqual(counts.rows, [
    { record_type: 'addresses', received: 3, invalid: 1 },
    { record_type: 'clients', received: 0, invalid: 0 },
    { record_type: 'contacts', received: 2, invalid: 1 },
  ]);
});

test('a receipt lists the first 100 field errors and says it was truncated; every error is stored', async () => {
  const { c, id } = await newImport();
  const records = Array.from({ length: 101 }, (_, i) => ({ ref: `C-${i}`, clientReference: `R${i}`, name: `N${i}`, clientType: 'nope' }));
  const res = await c.putBatch(id, 1, { type: 'clients', records });
  assert.equal(res.statusCode, 202, res.body);
  const receipt = json<BatchReceipt>(res);
  assert.deepEqual(receipt.records, { received: 101, valid: 0, invalid: 101 });
  assert.equal(receipt.errors.length, 100);
  assert.equal(receipt.errorsTruncated, true);
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 101, errors: 101, received: 101, invalid: 101 });
});

test('the same batch again: identical bytes → 200 with the original receipt and no new rows; different bytes → 409, first stands', async () => {
  const { c, id } = await newImport();
  const bytes = Buffer.from(JSON.stringify(clients('C-1', 'C-2')));
  const first = await c.putBatch(id, 1, bytes);
  assert.equal(first.statusCode, 202, first.body);
  const after1 = await stored(id);
  assert.deepEqual(after1, { ...NOTHING, batches: 1, clients: 2, received: 2 });

  for (let i = 0; i < 2; i++) {
    const again = await c.putBatch(id, 1, bytes);
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(json<BatchReceipt>(again), json<BatchReceipt>(first));
  }
  // The same content gzipped is the same decoded body: also a replay.
  const gz = await c.putBatch(id, 1, gzipSync(bytes), { 'content-encoding': 'gzip' });
  assert.equal(gz.statusCode, 200, gz.body);
  assert.deepEqual(json<BatchReceipt>(gz), json<BatchReceipt>(first));
  assert.deepEqual(await stored(id), after1);

  // Different bytes: even the same records with other whitespace, or another record.
  const differs = assertProblem(await c.putBatch(id, 1, Buffer.concat([bytes, Buffer.from(' ')])), 409, /different content/);
  assert.equal(differs.code, 'batch_content_differs', 'a client tells this 409 apart by its code');
  assert.equal(differs.type, 'urn:brightclient:problem:batch-content-differs');
  assertProblem(await c.putBatch(id, 1, clients('C-9')), 409);
  assertProblem(
    await c.putBatch(id, 1, { type: 'contacts', records: [{ ref: 'P', lastName: 'X', clients: [{ ref: 'C-1', role: 'other' }] }] }),
    409,
  );
  assert.deepEqual(await stored(id), after1);
  const { rows } = await t.db.query<{ ref: string }>('SELECT ref FROM staged_clients WHERE import_id = $1 ORDER BY pos', [id]);
  assert.deepEqual(
    rows.map((r) => r.ref),
    ['C-1', 'C-2'],
  );
  const batch = await t.db.query<{ sha256: Buffer }>('SELECT sha256 FROM batches WHERE import_id = $1', [id]);
  assert.equal(batch.rows[0]!.sha256.toString('hex'), sha256hex(bytes));
});

test('two holds of one batch number at once: one is held (202), the other replays it (200) or is refused (409), nothing twice', async () => {
  const { c, id } = await newImport();
  const rounds = 6;
  for (let n = 1; n <= rounds; n++) {
    const same = Buffer.from(JSON.stringify(clients(`S-${n}`)));
    const [a, b] = await Promise.all([c.putBatch(id, n, same), c.putBatch(id, n, same)]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 202], `${a.body} ${b.body}`);
    assert.deepEqual(json<BatchReceipt>(a), json<BatchReceipt>(b));

    const [x, y] = await Promise.all([c.putBatch(id, rounds + n, clients(`X-${n}`)), c.putBatch(id, rounds + n, clients(`Y-${n}`))]);
    assert.deepEqual([x.statusCode, y.statusCode].sort(), [202, 409], `${x.body} ${y.body}`);
    const refused = json<{ code: string }>(x.statusCode === 409 ? x : y);
    assert.equal(refused.code, 'batch_content_differs');
  }
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 2 * rounds, clients: 2 * rounds, received: 2 * rounds });
});

test('batches arrive in any order (3, 1, 2) and complete', async () => {
  const { c, id, token } = await newImport();
  for (const n of [3, 1, 2]) {
    const res = await c.putBatch(id, n, clients(`C-${n}`));
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(json<BatchReceipt>(res).batch, n);
  }
  const { rows } = await t.db.query<{ batch_no: number }>('SELECT batch_no FROM batches WHERE import_id = $1 ORDER BY batch_no', [id]);
  assert.deepEqual(
    rows.map((r) => r.batch_no),
    [1, 2, 3],
  );
  const done = await c.complete(id, 3);
  assert.equal(done.statusCode, 202, done.body);
  assert.deepEqual(json<ImportView>(done).batches, { received: 3, expected: 3 });
  const final = await waitForCompletion(t.app, token, id);
  assert.deepEqual(
    { received: final.counts.clients.received, imported: final.counts.clients.imported, failed: final.counts.clients.failed },
    { received: 3, imported: 3, failed: 0 },
  );
});

test('batch number 0, -1, abc, 1.5, 100001 → 400, nothing stored', async () => {
  const { c, id } = await newImport();
  for (const n of ['0', '-1', 'abc', '1.5', '100001']) {
    assertProblem(await c.putBatch(id, n, clients('C-1')), 400, /n|batch/i);
  }
  await assertNothingStored(id);
  // The upper bound itself is a valid number.
  const max = await c.putBatch(id, 100_000, clients('C-1'));
  assert.equal(max.statusCode, 202, max.body);
});
