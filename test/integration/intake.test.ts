// The import API's intake side (SPEC §3 batch rules, §4 shapes): starting imports, receiving batches, completing,
// listing — each answer checked on the wire (status, problem details) and in the database (what was stored, and
// on refusal that nothing was).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { buildApp } from '../../src/http/app.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { ADMIN_TOKEN, createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import type { BatchReceipt, ImportList, ImportView } from '../../src/contract/imports.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import type { Row } from '../helpers/database.ts';
import { fetchedJson, json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

const LIMIT = 10_485_760;

type Client = ReturnType<typeof sourceClient>;

// ---------------------------------------------------------------------------------------------------------------
// Helpers

interface Stored {
  batches: number;
  clients: number;
  contacts: number;
  links: number;
  addresses: number;
  errors: number;
  received: number;
  invalid: number;
}

const NOTHING: Stored = { batches: 0, clients: 0, contacts: 0, links: 0, addresses: 0, errors: 0, received: 0, invalid: 0 };

async function stored(importId: string): Promise<Stored> {
  const { rows } = await t.db.query<Stored>(
    `SELECT
       (SELECT count(*)::int FROM batches WHERE import_id = $1) AS batches,
       (SELECT count(*)::int FROM staged_clients WHERE import_id = $1) AS clients,
       (SELECT count(*)::int FROM staged_contacts WHERE import_id = $1) AS contacts,
       (SELECT count(*)::int FROM staged_contact_links WHERE import_id = $1) AS links,
       (SELECT count(*)::int FROM staged_addresses WHERE import_id = $1) AS addresses,
       (SELECT count(*)::int FROM record_errors WHERE import_id = $1) AS errors,
       (SELECT coalesce(sum(received), 0)::int FROM import_counts WHERE import_id = $1) AS received,
       (SELECT coalesce(sum(invalid), 0)::int FROM import_counts WHERE import_id = $1) AS invalid`,
    [importId],
  );
  return rows[0]!;
}

async function assertNothingStored(importId: string): Promise<void> {
  assert.deepEqual(await stored(importId), NOTHING);
}

/** Whole-database totals, for refusals whose import id is not the caller's (or does not exist). */
async function totals(): Promise<Row> {
  const { rows } = await t.db.query<Row>(
    `SELECT (SELECT count(*)::int FROM batches) AS batches,
            (SELECT count(*)::int FROM staged_clients) AS clients,
            (SELECT count(*)::int FROM staged_contacts) AS contacts,
            (SELECT count(*)::int FROM staged_addresses) AS addresses,
            (SELECT coalesce(sum(received), 0)::int FROM import_counts) AS received`,
  );
  return rows[0]!;
}

async function newImport(source = 'brightmanager'): Promise<{ c: Client; id: string; token: string; practiceId: string }> {
  const { token, practiceId } = await createSource(t.db, source);
  const c = sourceClient(t.app, token);
  const res = await c.startImport();
  assert.equal(res.statusCode, 201, res.body);
  return { c, id: json<ImportView>(res).id, token, practiceId };
}

function client(ref: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ref, clientReference: `REF-${ref}`, name: `Client ${ref}`, clientType: 'limited_company', ...extra };
}

function clients(...refs: string[]): { type: 'clients'; records: Record<string, unknown>[] } {
  return { type: 'clients', records: refs.map((r) => client(r)) };
}

const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A valid one-record clients batch padded with trailing whitespace to exactly `size` bytes. */
function paddedBatch(size: number): Buffer {
  const base = JSON.stringify(clients('C-PAD'));
  assert.ok(base.length < size);
  const body = Buffer.from(base + ' '.repeat(size - Buffer.byteLength(base)));
  assert.equal(body.length, size);
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Starting imports and authentication

test('POST /v1/imports → 201 import object, receiving, counts zero', async () => {
  const { token, practiceId } = await createSource(t.db, 'brightmanager');
  const c = sourceClient(t.app, token);
  const res = await c.startImport();
  assert.equal(res.statusCode, 201, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = json<ImportView>(res);
  assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(body.source, 'brightmanager');
  assert.equal(body.status, 'receiving');
  assert.equal(body.retryOf, null);
  assert.equal(body.requested, null);
  assert.equal(body.completedAt, null);
  assert.equal(body.errorFile, null);
  assert.ok(!Number.isNaN(Date.parse(body.createdAt)));
  assert.deepEqual(body.batches, { received: 0, expected: null });
  assert.equal(body.progress, 0);
  for (const type of ['clients', 'contacts', 'addresses'] as const) {
    assert.equal(body.counts[type].received, 0);
    assert.equal(body.counts[type].imported, 0);
    assert.equal(body.counts[type].failed, 0);
    assert.equal(body.counts[type].skipped, 0);
  }
  const { rows } = await t.db.query('SELECT practice_id, source, status FROM imports WHERE id = $1', [body.id]);
  assert.deepEqual(rows, [{ practice_id: practiceId, source: 'brightmanager', status: 'receiving' }]);

  // The same object through GET.
  const got = await c.get(`/v1/imports/${body.id}`);
  assert.equal(got.statusCode, 200);
  assert.deepEqual(json<ImportView>(got), body);
});

test('POST /v1/imports with no, malformed, wrong, admin or revoked token → 401, nothing created', async () => {
  const { token, practiceId } = await createSource(t.db);
  const importsOf = async () =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM imports WHERE practice_id = $1', [practiceId])).rows[0]!.n;

  // The right id with another secret (bcs_<32 hex id>_<43-character secret>).
  const wrongSecret = token.slice(0, 'bcs_'.length + 32 + 1) + (token.endsWith('A') ? 'B' : 'A').repeat(43);
  const attempts: Record<string, string>[] = [
    {},
    { authorization: '' },
    { authorization: 'Bearer' },
    { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
    { authorization: 'Bearer not-a-token' },
    { authorization: `Bearer ${wrongSecret}` },
    { authorization: `Bearer ${token}x` },
    { authorization: `Bearer ${ADMIN_TOKEN}` },
  ];
  for (const headers of attempts) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/imports', headers, payload: {} });
    assertProblem(res, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
  }
  assert.equal(await importsOf(), 0);

  // The token works… until it is revoked.
  const c = sourceClient(t.app, token);
  const ok = await c.startImport();
  assert.equal(ok.statusCode, 201);
  const { id } = json<ImportView>(ok);
  await t.db.query('UPDATE source_tokens SET revoked_at = now() WHERE practice_id = $1', [practiceId]);
  assertProblem(await c.startImport(), 401, /revoked|not valid/);
  assertProblem(await c.get(`/v1/imports/${id}`), 401);
  assertProblem(await c.putBatch(id, 1, clients('C-1')), 401);
  assertProblem(await c.complete(id, 0), 401);
  assert.equal(await importsOf(), 1);
  await assertNothingStored(id);
});

test('POST /v1/imports with an unknown body field or a bad retryOf → 4xx problem, nothing created', async () => {
  const { token, practiceId } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  assertProblem(await c.startImport({ foo: 1 }), 400);
  assertProblem(await c.startImport({ retryOf: 'not-a-uuid' }), 400, /retryOf/);
  assertProblem(await c.startImport({ retryOf: randomUUID() }), 404);
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM imports WHERE practice_id = $1', [practiceId]);
  assert.equal(rows[0]!.n, 0);
});

test("another practice's import, or another source's of the same practice → 404 on GET, PUT batch, complete", async () => {
  const victim = await newImport('brightmanager');
  const body = clients('C-1', 'C-2');
  const first = await victim.c.putBatch(victim.id, 1, body);
  assert.equal(first.statusCode, 202, first.body);
  const before = await stored(victim.id);

  const other = await createSource(t.db, 'brightmanager', 'Other Practice');
  const sibling = await createSourceToken(t.db, victim.practiceId, 'brightbooks');
  assert.ok(sibling.ok);
  for (const token of [other.token, sibling.value.token]) {
    const c = sourceClient(t.app, token);
    assertProblem(await c.get(`/v1/imports/${victim.id}`), 404);
    // A new batch number, the same bytes as a stored batch (no replayed receipt leaks), and different bytes.
    assertProblem(await c.putBatch(victim.id, 2, clients('X-1')), 404);
    assertProblem(await c.putBatch(victim.id, 1, body), 404);
    assertProblem(await c.putBatch(victim.id, 1, clients('X-1')), 404);
    assertProblem(await c.complete(victim.id, 1), 404);
    const list = await c.get('/v1/imports');
    assert.equal(list.statusCode, 200);
    assert.ok(!json<ImportList>(list).imports.some((i) => i.id === victim.id));
  }
  assert.deepEqual(await stored(victim.id), before);
  const still = await victim.c.get(`/v1/imports/${victim.id}`);
  assert.equal(json<ImportView>(still).status, 'receiving');
  assert.equal(json<ImportView>(still).batches.received, 1);
});

test('non-uuid import id → 400; unknown uuid → 404; nothing stored', async () => {
  const { token } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const before = await totals();
  for (const bad of ['not-a-uuid', '123', 'ffffffff-ffff-ffff-ffff-fffffffffffg']) {
    assertProblem(await c.get(`/v1/imports/${bad}`), 400);
    assertProblem(await c.putBatch(bad, 1, clients('C-1')), 400);
    assertProblem(await c.complete(bad, 1), 400);
  }
  const unknown = randomUUID();
  assertProblem(await c.get(`/v1/imports/${unknown}`), 404);
  assertProblem(await c.putBatch(unknown, 1, clients('C-1')), 404);
  assertProblem(await c.complete(unknown, 1), 404);
  assert.deepEqual(await totals(), before);
});

// ---------------------------------------------------------------------------------------------------------------
// Receiving a batch

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

// ---------------------------------------------------------------------------------------------------------------
// Body size, encodings, media types

test('a body of exactly 10,485,760 bytes is accepted; 10,485,761 bytes → 413 and nothing stored', async () => {
  const { c, id } = await newImport();
  const tooBig = await c.putBatch(id, 1, paddedBatch(LIMIT + 1));
  assertProblem(tooBig, 413, /10,485,760/);
  await assertNothingStored(id);

  const atLimit = paddedBatch(LIMIT);
  const ok = await c.putBatch(id, 1, atLimit);
  assert.equal(ok.statusCode, 202, ok.body.slice(0, 500));
  assert.equal(json<BatchReceipt>(ok).bytes, LIMIT);
  assert.equal(json<BatchReceipt>(ok).sha256, sha256hex(atLimit));
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 1, received: 1 });
});

test('a gzip body (Content-Encoding: gzip) is accepted and stored; the 10 MB limit applies to the decoded body', async () => {
  const { c, id } = await newImport();
  const plain = Buffer.from(JSON.stringify(clients('C-1', 'C-2', 'C-3')));
  const res = await c.putBatch(id, 1, gzipSync(plain), { 'content-encoding': 'gzip' });
  assert.equal(res.statusCode, 202, res.body);
  assert.equal(json<BatchReceipt>(res).bytes, plain.length, 'bytes counts the decoded body');
  assert.equal(json<BatchReceipt>(res).sha256, sha256hex(plain), 'the hash is of the decoded body');
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 3, received: 3 });
  const { rows } = await t.db.query<{ ref: string }>('SELECT ref FROM staged_clients WHERE import_id = $1 ORDER BY pos', [id]);
  assert.deepEqual(
    rows.map((r) => r.ref),
    ['C-1', 'C-2', 'C-3'],
  );

  // Upper-case encoding name, and the decoded-size boundary.
  const atLimit = await c.putBatch(id, 2, gzipSync(paddedBatch(LIMIT)), { 'content-encoding': 'GZIP' });
  assert.equal(atLimit.statusCode, 202, atLimit.body.slice(0, 500));
  assert.equal(json<BatchReceipt>(atLimit).bytes, LIMIT);
  const before = await stored(id);
  const overLimit = gzipSync(paddedBatch(LIMIT + 1));
  assert.ok(overLimit.length < 100_000, 'small on the wire, too large decoded');
  assertProblem(await c.putBatch(id, 3, overLimit, { 'content-encoding': 'gzip' }), 413);
  assert.deepEqual(await stored(id), before);
});

test('a gzip bomb (50 MB of spaces in a few dozen KB) → 413 quickly, nothing stored', async () => {
  const { c, id } = await newImport();
  const bomb = gzipSync(
    Buffer.concat([Buffer.from('{"type":"clients","records":['), Buffer.alloc(50 * 1024 * 1024, 0x20), Buffer.from(']}')]),
    { level: 9 },
  );
  assert.ok(bomb.length < 200_000, `bomb is ${bomb.length} bytes`);
  const started = performance.now();
  const res = await c.putBatch(id, 1, bomb, { 'content-encoding': 'gzip' });
  const ms = performance.now() - started;
  assertProblem(res, 413, /decoded/);
  assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
  await assertNothingStored(id);
  // The server still takes batches afterwards.
  const ok = await c.putBatch(id, 1, clients('C-1'));
  assert.equal(ok.statusCode, 202, ok.body);
});

test('invalid gzip → 400; Content-Encoding br → 415; text/plain or no content type → 415; nothing stored', async () => {
  const { c, id, token } = await newImport();
  const plain = Buffer.from(JSON.stringify(clients('C-1')));
  assertProblem(await c.putBatch(id, 1, plain, { 'content-encoding': 'gzip' }), 400, /gzip/);
  const gz = gzipSync(plain);
  assertProblem(await c.putBatch(id, 1, gz.subarray(0, gz.length - 10), { 'content-encoding': 'gzip' }), 400, /gzip/);
  const corrupt = Buffer.from(gz);
  corrupt[corrupt.length - 8]! ^= 0xff; // CRC mismatch
  assertProblem(await c.putBatch(id, 1, corrupt, { 'content-encoding': 'gzip' }), 400, /gzip/);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-encoding': 'br' }), 415, /br/);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-encoding': 'deflate' }), 415);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-type': 'text/plain' }), 415);
  assertProblem(await c.putBatch(id, 1, plain, { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  const noType = await t.app.inject({
    method: 'PUT',
    url: `/v1/imports/${id}/batches/1`,
    headers: { authorization: `Bearer ${token}` },
    payload: plain,
  });
  assertProblem(noType, 415);
  await assertNothingStored(id);
  // A charset parameter is fine.
  const ok = await c.putBatch(id, 1, plain, { 'content-type': 'application/json; charset=utf-8' });
  assert.equal(ok.statusCode, 202, ok.body);
});

test('over real HTTP, oversize bodies (plain, gzip, unauthenticated) get their answer and leave no connection half-read', async () => {
  const { id, token } = await newImport();
  // A second app on the same database, listening on a loopback port: inject cannot show what a socket does.
  const app = await buildApp({ db: t.db, boss: t.boss, adminToken: ADMIN_TOKEN, logLevel: 'silent', ready: () => true });
  let closing: Promise<void> | null = null;
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/imports/${id}/batches/1`;
    const oversize = Buffer.alloc(LIMIT * 2, 0x20);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const attempts: [Record<string, string>, Buffer, number][] = [
      [auth, oversize, 413],
      [{ ...auth, 'content-encoding': 'gzip' }, gzipSync(oversize), 413],
      [{ 'content-type': 'application/json' }, oversize, 401],
      [auth, oversize, 413],
    ];
    for (const [headers, body, status] of attempts) {
      const res = await fetch(url, { method: 'PUT', headers, body, signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, status);
      assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/);
      assert.equal((await fetchedJson<Problem>(res)).status, status);
    }
    // The connection is still usable for a proper batch afterwards.
    const ok = await fetch(url, { method: 'PUT', headers: auth, body: JSON.stringify(clients('C-1')), signal: AbortSignal.timeout(5000) });
    assert.equal(ok.status, 202);
    await ok.arrayBuffer();
    // A graceful shutdown must not wait on a connection whose oversize body was left unread.
    closing = app.close();
    const closedInTime = await Promise.race([closing.then(() => true), delay(3000).then(() => false)]);
    assert.ok(closedInTime, 'app.close() finished within 3 s');
  } finally {
    app.server.closeAllConnections();
    await (closing ?? app.close());
  }
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 1, received: 1 });
});

test('unauthenticated uploads are answered 401 before their body is read: they cannot hold the intake slots', async () => {
  const { id, token } = await newImport();
  const app = await buildApp({
    db: t.db,
    boss: t.boss,
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    ready: () => true,
    intakeConcurrency: 2,
  });
  const stalled: http.ClientRequest[] = [];
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const path = `/v1/imports/${id}/batches/1`;
    // As many never-finishing uploads without a token as the server takes batches at once.
    const answers = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<number>((resolve) => {
            const req = http.request({
              host: '127.0.0.1',
              port,
              path,
              method: 'PUT',
              headers: { 'content-type': 'application/json', 'content-length': '1000000' },
            });
            stalled.push(req);
            req.on('error', () => resolve(-1));
            req.on('response', (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.write('{"type":"clients","records":[');
            setTimeout(() => resolve(0), 1500).unref();
          }),
      ),
    );
    assert.deepEqual(answers, [401, 401], 'refused at once, without waiting for the body');
    const ok = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(clients('C-1')),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(ok.status, 202, await ok.text());
  } finally {
    for (const req of stalled) req.destroy();
    app.server.closeAllConnections();
    await app.close();
  }
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 1, received: 1 });
});

// ---------------------------------------------------------------------------------------------------------------
// Body content

test('invalid JSON → 400 whose detail says where; an empty body → 400; nothing stored', async () => {
  const { c, id } = await newImport();
  const missingComma = '{"type":"clients","records":[{"ref":"x"} {"ref":"y"}]}';
  assertProblem(await c.putBatch(id, 1, missingComma), 400, /not valid JSON.*position 41/);
  assertProblem(await c.putBatch(id, 1, '{"type":"clients","records":[{"ref":"x"}'), 400, /not valid JSON/);
  assertProblem(await c.putBatch(id, 1, '{"type":"clients","records":[{"ref":"x"}]} trailing'), 400, /position 43 \(line 1 column 44\)/);
  // V8 names the offending token (with its context) rather than a position for this kind of error.
  assertProblem(await c.putBatch(id, 1, '{"type": clients}'), 400, /not valid JSON at position 9 \(line 1, column 10\).*'c'/);
  // A raw control character inside a string literal.
  assertProblem(await c.putBatch(id, 1, Buffer.from('{"type":"clients","records":[{"ref":"a\u0000b"}]}')), 400, /position/);
  assertProblem(await c.putBatch(id, 1, ''), 400);
  assertProblem(await c.putBatch(id, 1, '   '), 400);
  await assertNothingStored(id);
});

test('valid JSON of the wrong shape → 400 naming the path; nothing stored', async () => {
  const { c, id } = await newImport();
  const cases: [unknown, RegExp][] = [
    [{ records: [client('C-1')] }, /\/type/],
    [{ type: 'widgets', records: [client('C-1')] }, /\/type/],
    [{ type: 'Clients', records: [client('C-1')] }, /\/type/],
    [{ type: 7, records: [client('C-1')] }, /\/type/],
    [{ type: 'clients' }, /\/records/],
    [{ type: 'clients', records: {} }, /\/records/],
    [{ type: 'clients', records: 'C-1' }, /\/records/],
    [{ type: 'clients', records: [] }, /\/records/],
    [{}, /\/type.*\/records/],
    [[clients('C-1')], /JSON object/],
    ['clients', /JSON object/],
    [null, /JSON object/],
    [42, /JSON object/],
  ];
  for (const [body, detail] of cases) {
    const problem = assertProblem(await c.putBatch(id, 1, JSON.stringify(body)), 400, detail);
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, `errors array for ${JSON.stringify(body)}`);
      for (const e of problem.errors) assert.ok(typeof e.pointer === 'string' && typeof e.detail === 'string');
    }
  }
  await assertNothingStored(id);
});

test('a record that is not an object is a per-record error, not a refusal of the batch', async () => {
  const { c, id } = await newImport();
  const res = await c.putBatch(id, 1, { type: 'clients', records: [client('C-1'), 'C-2', null, [1]] });
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 4, valid: 1, invalid: 3 });
  assert.deepEqual(
    json<BatchReceipt>(res).errors.map((e) => [e.position, e.code]),
    [
      [2, 'not_an_object'],
      [3, 'not_an_object'],
      [4, 'not_an_object'],
    ],
  );
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 4, errors: 3, received: 4, invalid: 3 });
});

test('keys named __proto__, constructor or prototype are dropped like unknown fields, at any depth; the batch is received', async () => {
  const { c, id } = await newImport();
  const body =
    '{"__proto__":{"type":"contacts"},"type":"clients","records":[' +
    '{"ref":"C-1","clientReference":"R","name":"N","clientType":"other","__proto__":{"polluted":true}},' +
    '{"ref":"C-2","clientReference":"R","name":"N","clientType":"other","constructor":{"prototype":{"polluted":true}}},' +
    '{"ref":"C-3","clientReference":"R","name":"N","clientType":"nope","\\u005f_proto__":{"polluted":true},"prototype":1}]}';
  const res = await c.putBatch(id, 1, body);
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 3, valid: 2, invalid: 1 });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  // The kept raw copy of the invalid record holds none of them.
  const { rows } = await t.db.query<{ raw: Row }>('SELECT raw FROM staged_clients WHERE import_id = $1 AND NOT valid', [id]);
  assert.deepEqual(rows, [{ raw: { ref: 'C-3', clientReference: 'R', name: 'N', clientType: 'nope' } }]);
});

test('invalid UTF-8 bytes → 400, nothing stored', async () => {
  const { c, id } = await newImport();
  const head = Buffer.from('{"type":"clients","records":[{"ref":"C-1","clientReference":"R","name":"Caf');
  const tail = Buffer.from('","clientType":"other"}]}');
  for (const bad of [[0xff], [0xc3], [0xe9], [0xed, 0xa0, 0x80] /* an encoded surrogate */, [0xc0, 0xaf] /* overlong */]) {
    assertProblem(await c.putBatch(id, 1, Buffer.concat([head, Buffer.from(bad), tail])), 400, /UTF-8/);
  }
  await assertNothingStored(id);
  // The same with a proper é is fine.
  const ok = await c.putBatch(id, 1, Buffer.concat([head, Buffer.from('é'), tail]));
  assert.equal(ok.statusCode, 202, ok.body);
  const { rows } = await t.db.query('SELECT name FROM staged_clients WHERE import_id = $1', [id]);
  assert.deepEqual(rows, [{ name: 'Café' }]);
});

test('U+0000 or a lone surrogate in a field fails that record on that field; its raw copy is kept with U+FFFD', async () => {
  const { c, id } = await newImport();
  const records = [
    '{"ref":"C-1","clientReference":"R","name":"A\\u0000B","clientType":"other"}',
    '{"ref":"C-2","clientReference":"R","name":"\\ud800","clientType":"other","\\u0000key":"\\udfff"}',
    '{"ref":"C-3","clientReference":"R","name":"N","clientType":"other","ignored":"\\u0000"}', // unknown: not read
    '{"ref":"C-4","clientReference":"R","name":"Sun \\ud83c\\udf1e Ltd","clientType":"other"}', // a proper pair
  ];
  const res = await c.putBatch(id, 1, `{"type":"clients","records":[${records.join(',')}]}`);
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 4, valid: 2, invalid: 2 });
  assert.deepEqual(
    json<BatchReceipt>(res).errors.map((e) => [e.position, e.field, e.code, e.reason]),
    [
      [1, 'name', 'unstorable_character', 'Name contains a character that cannot be stored (U+0000).'],
      [2, 'name', 'unstorable_character', 'Name contains a character that cannot be stored (U+D800, an unpaired surrogate).'],
    ],
  );
  const { rows } = await t.db.query<{ pos: number; name: string | null; record_name: string | null; raw: unknown }>(
    'SELECT pos, name, record_name, raw FROM staged_clients WHERE import_id = $1 ORDER BY pos',
    [id],
  );
  assert.deepEqual(
    rows.map((r) => [r.pos, r.name, r.record_name, r.raw]),
    [
      [1, null, 'A\uFFFDB', { ref: 'C-1', clientReference: 'R', name: 'A\uFFFDB', clientType: 'other' }],
      [2, null, '\uFFFD', { ref: 'C-2', clientReference: 'R', name: '\uFFFD', clientType: 'other', '\uFFFDkey': '\uFFFD' }],
      [3, 'N', 'N', null],
      [4, 'Sun 🌞 Ltd', 'Sun 🌞 Ltd', null],
    ],
  );
});

test('a 10,000-record batch with one record holding U+0000 → 202, 9,999 staged valid, one error row', async () => {
  const { c, id } = await newImport();
  const records = Array.from({ length: 10_000 }, (_, i) => client(`C-${i + 1}`));
  records[4_321] = client('C-4322', { clientReference: 'REF\u0000' });
  const res = await c.putBatch(id, 1, { type: 'clients', records });
  assert.equal(res.statusCode, 202, res.body);
  assert.deepEqual(json<BatchReceipt>(res).records, { received: 10_000, valid: 9_999, invalid: 1 });
  assert.deepEqual(await stored(id), { ...NOTHING, batches: 1, clients: 10_000, errors: 1, received: 10_000, invalid: 1 });
  const { rows } = await t.db.query('SELECT pos, ref, field, code FROM record_errors WHERE import_id = $1', [id]);
  assert.deepEqual(rows, [{ pos: 4_322, ref: 'C-4322', field: 'clientReference', code: 'unstorable_character' }]);
  const valid = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staged_clients WHERE import_id = $1 AND valid', [id]);
  assert.equal(valid.rows[0]!.n, 9_999);
});

// ---------------------------------------------------------------------------------------------------------------
// Completing

test('complete with gaps → 409 listing the missing numbers; with a batch beyond batchCount → 409; nothing changes', async () => {
  const { c, id } = await newImport();
  for (const n of [1, 3, 6]) assert.equal((await c.putBatch(id, n, clients(`C-${n}`))).statusCode, 202);

  const gaps = assertProblem(await c.complete(id, 6), 409, /2, 4, 5/);
  assert.deepEqual(gaps.missing, [2, 4, 5]);
  assert.equal(gaps.code, 'batches_missing');
  const none = assertProblem(await c.complete(id, 7), 409);
  assert.deepEqual(none.missing, [2, 4, 5, 7]);

  assert.equal((await c.putBatch(id, 2, clients('C-2'))).statusCode, 202);
  const beyond = assertProblem(await c.complete(id, 3), 409, /beyond/);
  assert.deepEqual(beyond.extra, [6]);
  assert.equal(beyond.code, 'batches_beyond_count');
  const zero = assertProblem(await c.complete(id, 0), 409);
  assert.deepEqual(zero.extra, [1, 2, 3, 6]);

  // Malformed completes.
  assertProblem(await c.post(`/v1/imports/${id}/complete`, {}), 400, /batchCount/);
  assertProblem(await c.post(`/v1/imports/${id}/complete`, { batchCount: -1 }), 400);
  assertProblem(await c.post(`/v1/imports/${id}/complete`, { batchCount: 'many' }), 400);
  assertProblem(await c.post(`/v1/imports/${id}/complete`, { batchCount: 1.5 }), 400);

  const view = json<ImportView>(await c.get(`/v1/imports/${id}`));
  assert.equal(view.status, 'receiving');
  assert.equal(view.batches.expected, null);
  const { rows } = await t.db.query('SELECT status, expected_batches FROM imports WHERE id = $1', [id]);
  assert.deepEqual(rows, [{ status: 'receiving', expected_batches: null }]);
});

test('complete → 202, no longer receiving; the same complete again → 202; another batchCount → 409; batches after → 409, nothing stored', async () => {
  const { c, id, token } = await newImport();
  assert.equal((await c.putBatch(id, 1, clients('C-1', 'C-2'))).statusCode, 202);
  assert.equal((await c.putBatch(id, 2, { type: 'clients', records: [client('C-3', { email: 'bad' })] })).statusCode, 202);

  const done = await c.complete(id, 2);
  assert.equal(done.statusCode, 202, done.body);
  const body = json<ImportView>(done);
  assert.equal(body.id, id);
  assert.notEqual(body.status, 'receiving');
  assert.ok(['processing', 'completed'].includes(body.status));
  assert.deepEqual(body.batches, { received: 2, expected: 2 });
  const got = json<ImportView>(await c.get(`/v1/imports/${id}`));
  assert.notEqual(got.status, 'receiving');

  const again = await c.complete(id, 2);
  assert.equal(again.statusCode, 202, again.body);
  assert.equal(json<ImportView>(again).id, id);
  assert.notEqual(json<ImportView>(again).status, 'receiving');

  assertProblem(await c.complete(id, 3), 409, /batchCount 2/);
  assertProblem(await c.complete(id, 1), 409);

  const before = await stored(id);
  assertProblem(await c.putBatch(id, 3, clients('C-4')), 409, /takes no more batches/);
  assertProblem(await c.putBatch(id, 2, clients('C-5')), 409);
  const after = await stored(id);
  // Processing may add link/duplicate errors of its own; what intake stores must not change.
  assert.deepEqual({ ...after, errors: 0 }, { ...before, errors: 0 });
  assert.equal(after.batches, 2);
  assert.equal(after.received, 3);

  const final = await waitForCompletion(t.app, token, id);
  assert.deepEqual(final.counts.clients, { received: 3, imported: 2, failed: 1, skipped: 0, matched: 0, invalid: 1, stillFailing: 1 });
  assert.equal(final.errorFile, `/v1/imports/${id}/errors`);
  // Still refused once completed, and still idempotent.
  assertProblem(await c.putBatch(id, 3, clients('C-4')), 409);
  assert.equal((await c.complete(id, 2)).statusCode, 202);
  assert.equal((await stored(id)).batches, 2);
});

// ---------------------------------------------------------------------------------------------------------------
// Listing

test('GET /v1/imports: newest first, filters status/hasFailures/since/limit, scoped to the practice and the source', async () => {
  const { token, practiceId } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const start = async () => json<ImportView>(await c.startImport()).id;

  const clean = await start();
  assert.equal((await c.putBatch(clean, 1, clients('C-1'))).statusCode, 202);
  assert.equal((await c.complete(clean, 1)).statusCode, 202);
  await waitForCompletion(t.app, token, clean);

  const failed = await start();
  assert.equal((await c.putBatch(failed, 1, { type: 'clients', records: [client('C-2', { clientType: 'x' })] })).statusCode, 202);
  assert.equal((await c.complete(failed, 1)).statusCode, 202);
  const failedView = await waitForCompletion(t.app, token, failed);

  const open = await start();

  // Other sources of the same practice, and other practices, have imports of their own.
  const sibling = await createSourceToken(t.db, practiceId, 'brightbooks');
  assert.ok(sibling.ok);
  const siblingClient = sourceClient(t.app, sibling.value.token);
  const siblingImport = json<ImportView>(await siblingClient.startImport()).id;
  const stranger = await newImport();

  const ids = async (query = '') => {
    const res = await c.get(`/v1/imports${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return json<ImportList>(res).imports.map((i) => i.id);
  };
  assert.deepEqual(await ids(), [open, failed, clean]);
  assert.deepEqual(await ids('?status=receiving'), [open]);
  assert.deepEqual(await ids('?status=completed'), [failed, clean]);
  assert.deepEqual(await ids('?status=processing'), []);
  assert.deepEqual(await ids('?hasFailures=true'), [failed]);
  assert.deepEqual(await ids('?hasFailures=false'), [clean]);
  assert.deepEqual(await ids('?status=completed&hasFailures=true'), [failed]);
  assert.deepEqual(await ids(`?since=${encodeURIComponent(failedView.createdAt)}`), [open, failed]);
  assert.deepEqual(await ids(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), []);
  assert.deepEqual(await ids('?since=2000-01-01T00:00:00Z'), [open, failed, clean]);
  assert.deepEqual(await ids('?limit=1'), [open]);

  // The listed objects are full import objects.
  const listed = json<ImportList>(await c.get('/v1/imports?hasFailures=true')).imports[0];
  assert.equal(listed?.status, 'completed');
  assert.equal(listed.errorFile, `/v1/imports/${failed}/errors`);
  assert.equal(listed.counts.clients.failed, 1);

  const siblingIds = json<ImportList>(await siblingClient.get('/v1/imports')).imports.map((i) => i.id);
  assert.deepEqual(siblingIds, [siblingImport]);
  const strangerIds = json<ImportList>(await stranger.c.get('/v1/imports')).imports.map((i) => i.id);
  assert.deepEqual(strangerIds, [stranger.id]);

  assertProblem(await c.get('/v1/imports?status=done'), 400, /status/);
  assertProblem(await c.get('/v1/imports?since=yesterday'), 400, /since/);
  assertProblem(await c.get('/v1/imports?hasFailures=maybe'), 400);
  assertProblem(await c.get('/v1/imports?limit=0'), 400);
  assertProblem(await c.get('/v1/imports?limit=201'), 400);
  assertProblem(await t.app.inject({ method: 'GET', url: '/v1/imports' }), 401);
});
