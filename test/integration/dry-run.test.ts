// Dry run (SPEC §10): a second product's export — joins, a conflict and a possible match, failures at receipt and
// at the check, knock-on failures one and two levels deep, a duplicate — is processed dry: the central tables, the
// source keys and the review items keep their row counts, and the import completes with counts and an error file.
// The same export sent for real then gives the same counts and the same error file, and does write. A dry run is
// never retried, never in the banner's list and never among the open failures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FailureRow } from '../../src/contract/failures.contract.ts';
import type { ErrorFileRow, ImportList, ImportView } from '../../src/contract/imports.contract.ts';
import type { RecordType } from '../../src/contract/records.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { sourceClient, createSources, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let practiceId: string;
const tokens: Record<string, string> = {};
before(async () => {
  t = await startTestApp();
  const created = await createSources(t.db, 'Dry Run Practice');
  practiceId = created.practiceId;
  Object.assign(tokens, created.tokens);
});
after(async () => {
  await t?.close();
});

type Batch = { type: RecordType; records: object[] };

async function runImport(token: string, batches: Batch[], body: object = {}): Promise<ImportView> {
  const c = sourceClient(t.app, token);
  const started = await c.startImport(body);
  assert.equal(started.statusCode, 201, started.body);
  const id = json<ImportView>(started).id;
  for (const [i, batch] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, batch)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  return waitForCompletion(t.app, token, id, 60_000);
}

const client = (ref: string, name: string, extra: object = {}) => ({
  ref,
  clientReference: `R-${ref}`,
  name,
  clientType: 'limited_company',
  ...extra,
});
const contact = (ref: string, clientRef: string, extra: object = {}) => ({
  ref,
  firstName: 'Pat',
  lastName: ref,
  clients: [{ ref: clientRef, role: 'director' }],
  ...extra,
});
const address = (ref: string, owner: { type: 'client' | 'contact'; ref: string }, line1: string, postcode = 'LS1 5HD') => ({
  ref,
  owner,
  kind: 'registered',
  line1,
  town: 'Leeds',
  postcode,
  from: '2019-04-01',
});

const manager: Batch[] = [
  {
    type: 'clients',
    records: [
      client('M-1', 'Acme Trading Ltd', { companyNumber: '01234567', utr: '8123456780' }),
      client('M-3', 'Peak Dental Care Ltd', { email: 'hello@peakdental.example' }),
      client('M-4', 'Conflicted Ltd', { companyNumber: '05555555', utr: '6123561509' }),
    ],
  },
  { type: 'contacts', records: [contact('MP-1', 'M-1', { firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.example' })] },
  { type: 'addresses', records: [address('MA-1', { type: 'client', ref: 'M-1' }, '1 Park Row')] },
];

// BrightBooks' export of the same practice, in two client batches.
const books: Batch[] = [
  {
    type: 'clients',
    records: [
      client('B-1', 'Acme Trading Limited', { companyNumber: '1234567', email: 'accounts@acme.example' }), // joins M-1
      client('B-3', 'Peak Dental Care Limited', { email: 'HELLO@peakdental.example' }), // possible match with M-3
      client('B-4', 'Conflicted Ltd', { companyNumber: '05555555', utr: '1123666238' }), // conflict with M-4
      client('B-7', 'Broken Ltd', { email: 'nope@' }), // root: fails at receipt, its contact and addresses with it
    ],
  },
  {
    type: 'clients',
    records: [
      client('B-1', 'Acme Copy Ltd'), // a later duplicate: fails, but its ref goes in, so it is not still failing
      client('B-8', 'Other Ltd', { clientType: 'ltd' }), // root
      client('B-9', 'Fine Ltd'),
    ],
  },
  {
    type: 'contacts',
    records: [
      // joins MP-1, with a second role on the client it joined
      contact('BP-1', 'B-1', {
        firstName: 'Jane',
        lastName: 'Smith',
        email: 'jane@acme.example',
        clients: [{ ref: 'B-1', role: 'shareholder' }],
      }),
      contact('BP-7', 'B-7'), // knock-on: its client failed
      contact('BP-9', 'B-404'), // its client is nowhere
      contact('BP-10', 'B-9'),
    ],
  },
  {
    type: 'addresses',
    records: [
      address('BA-1', { type: 'client', ref: 'B-1' }, '1 Park Row'), // equal entry: joins MA-1
      address('BA-7', { type: 'contact', ref: 'BP-7' }, '7 Low Road'), // two levels: names client B-7
      address('BA-8', { type: 'client', ref: 'B-7' }, '8 Low Road'),
      address('BA-9', { type: 'client', ref: 'B-9' }, '9 Low Road', 'XYZ 123'), // root: bad postcode
      address('BA-10', { type: 'contact', ref: 'BP-10' }, '10 Low Road'),
    ],
  },
];

const TABLES = ['clients', 'contacts', 'addresses', 'client_contacts', 'source_records', 'match_reviews', 'record_actions'] as const;
async function rowCounts(): Promise<Record<string, number>> {
  const { rows } = await t.db.query<Record<string, number>>(
    `SELECT ${TABLES.map((table) => `(SELECT count(*)::int FROM ${table} WHERE practice_id = $1) AS ${table}`).join(', ')}`,
    [practiceId],
  );
  return rows[0]!;
}

const books$ = () => sourceClient(t.app, tokens.brightbooks!);
const errorRows = async (id: string) => json<ErrorFileRow[]>(await books$().get(`/v1/imports/${id}/errors?format=json`));
const errorCsv = async (id: string) => (await books$().get(`/v1/imports/${id}/errors`)).body;

let dry: ImportView;
let dryRows: ErrorFileRow[];
let dryCsv: string;

test('a dry run processes every step, matching included, and leaves no row behind', async () => {
  await runImport(tokens.brightmanager!, manager);
  const before = await rowCounts();
  assert.deepEqual([before.clients, before.source_records, before.match_reviews], [3, 5, 0]);

  dry = await runImport(tokens.brightbooks!, books, { dryRun: true });
  assert.equal(dry.dryRun, true);
  assert.equal(dry.kind, 'import');
  assert.deepEqual(await rowCounts(), before, 'no central row, source key, role, review item or action left behind');

  // The counts of the real thing: joins, failures of every kind, the duplicate.
  assert.deepEqual(dry.counts.clients, { received: 7, imported: 4, failed: 3, skipped: 0, matched: 1, invalid: 2, stillFailing: 2 });
  assert.deepEqual(dry.counts.contacts, { received: 4, imported: 2, failed: 2, skipped: 0, matched: 1, invalid: 0, stillFailing: 2 });
  assert.deepEqual(dry.counts.addresses, { received: 5, imported: 2, failed: 3, skipped: 0, matched: 1, invalid: 1, stillFailing: 3 });
  assert.equal(dry.stillFailing, 7);
  assert.equal(dry.errorFile, `/v1/imports/${dry.id}/errors`);

  dryRows = await errorRows(dry.id);
  dryCsv = await errorCsv(dry.id);
  const byRef = new Map(dryRows.map((r) => [`${r.record_ref}:${r.code}`, r]));
  assert.equal(byRef.get('B-1:duplicate_ref')!.still_failing, false, 'the duplicate of a record the dry run would import');
  assert.equal(byRef.get('BP-7:parent_failed')!.caused_by, 'client:B-7');
  assert.equal(byRef.get('BA-7:parent_failed')!.caused_by, 'client:B-7');
  assert.equal(byRef.get('BP-9:parent_not_found')!.still_failing, true);
  assert.deepEqual(
    dryRows.filter((r) => r.record_ref === 'BA-9').map((r) => [r.field, r.caused_by, r.still_failing]),
    [['postcode', null, true]],
  );

  // Its failed refs are the would-be ones (the duplicate's ref would have gone in).
  const refs = json<Record<RecordType, string[]>>(await books$().get(`/v1/imports/${dry.id}/failed-refs`));
  assert.deepEqual(refs, { clients: ['B-7', 'B-8'], contacts: ['BP-7', 'BP-9'], addresses: ['BA-7', 'BA-8', 'BA-9'] });
});

test('a dry run is never retried, never in the banner and never among the open failures', async () => {
  assertProblem(await books$().post(`/v1/imports/${dry.id}/retry`), 409);
  assert.equal(json<{ code: string }>(await books$().post(`/v1/imports/${dry.id}/retry`)).code, 'dry_run');
  const asRetryOf = await books$().startImport({ retryOf: dry.id });
  assertProblem(asRetryOf, 409);
  assert.equal(json<{ code: string }>(asRetryOf).code, 'dry_run');
  assertProblem(await books$().startImport({ retryOf: dry.id, dryRun: true }), 400, /retry cannot be a dry run/);

  const banner = json<ImportList>(await books$().get('/v1/imports?stillFailing=true')).imports;
  assert.deepEqual(banner, [], 'the dry run has failures still failing, but is not in the banner');
  const listed = json<ImportList>(await books$().get('/v1/imports')).imports;
  assert.deepEqual(
    listed.map((i) => [i.id, i.dryRun]),
    [[dry.id, true]],
    'it is listed, marked',
  );
  const open = json<FailureRow[]>(await books$().get('/v1/failures?format=json'));
  assert.deepEqual(open, []);
});

test('the same export for real gives the same counts and the same error file, and writes', async () => {
  const before = await rowCounts();
  const real = await runImport(tokens.brightbooks!, books);
  assert.equal(real.dryRun, false);
  assert.deepEqual(real.counts, dry.counts);
  assert.equal(real.stillFailing, dry.stillFailing);
  assert.deepEqual(await errorRows(real.id), dryRows);
  assert.equal(await errorCsv(real.id), dryCsv);

  const afterReal = await rowCounts();
  assert.deepEqual(
    TABLES.map((table) => afterReal[table]! - before[table]!),
    // 4 clients imported, 1 joined: 3 new; 2 contacts, 1 joined; 2 addresses, 1 joined; 2 roles; 8 keys; 2 items.
    [3, 1, 1, 2, 8, 2, 0],
  );

  // Now the real import is what is still wrong; the dry run still is not.
  const banner = json<ImportList>(await books$().get('/v1/imports?stillFailing=true')).imports;
  assert.deepEqual(
    banner.map((i) => i.id),
    [real.id],
  );
  const open = json<FailureRow[]>(await books$().get('/v1/failures?format=json'));
  assert.ok(open.length > 0);
  assert.ok(
    open.every((r) => r.import_id === real.id),
    'open failures come from the real import only',
  );
});
