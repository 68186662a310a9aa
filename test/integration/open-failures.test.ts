// What is still wrong (SPEC §5, §6, §10): stillFailing on the import object as retries succeed, the banner's query,
// the error file's caused_by and still_failing with root causes first, the practice's open failures with their
// filters, and a retry with nothing left to retry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FailureGroupView, FailureRow } from '../../src/contract/failures.contract.ts';
import type { ErrorFileRow, ImportView } from '../../src/contract/imports.contract.ts';
import type { RecordType } from '../../src/contract/records.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { createUser } from '../../src/users/user.service.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ sessions: true });
});
after(async () => {
  await t?.close();
});

const client = (ref: string, extra: object = {}) => ({
  ref,
  clientReference: `R${ref}`,
  name: `${ref} Ltd`,
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
const address = (ref: string, owner: { type: 'client' | 'contact'; ref: string }, postcode = 'LS1 5HD') => ({
  ref,
  owner,
  line1: `${ref} High Street`,
  town: 'Leeds',
  postcode,
  from: '2019-04-01',
});

type Batch = { type: RecordType; records: object[] };

async function runImport(token: string, batches: Batch[], retryOf: string | null = null): Promise<ImportView> {
  const c = sourceClient(t.app, token);
  const started = retryOf ? await c.post(`/v1/imports/${retryOf}/retry`) : await c.startImport();
  assert.equal(started.statusCode, 201, started.body);
  const id = json<ImportView>(started).id;
  for (const [i, body] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, body)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  return waitForCompletion(t.app, token, id);
}

const still = (view: ImportView) => [
  view.counts.clients.stillFailing,
  view.counts.contacts.stillFailing,
  view.counts.addresses.stillFailing,
];
const failed = (view: ImportView) => [view.counts.clients.failed, view.counts.contacts.failed, view.counts.addresses.failed];

// The first export: root causes and their knock-on failures, one and two levels deep.
const firstExport: Batch[] = [
  {
    type: 'clients',
    records: [
      client('C-1'),
      client('C-2', { email: 'nope@' }), // root: its contact P-1 and addresses A-1 (through P-1) and A-2 fail with it
      client('C-3'),
      client('C-3', { name: 'Copy Ltd' }), // a later duplicate: fails, but its ref is imported, so it is not still failing
      client('C-4', { clientType: 'ltd' }), // root
    ],
  },
  {
    type: 'contacts',
    records: [contact('P-1', 'C-2'), contact('P-2', 'C-1', { dateOfBirth: '2999-01-01' }), contact('P-3', 'C-1')],
  },
  {
    type: 'addresses',
    records: [
      address('A-1', { type: 'contact', ref: 'P-1' }), // contact of a failed client: names the client
      address('A-2', { type: 'client', ref: 'C-2' }),
      address('A-3', { type: 'contact', ref: 'P-2' }), // a contact failing for its own fault: names the contact
      address('A-4', { type: 'client', ref: 'C-1' }, 'XYZ 123'), // root
    ],
  },
];

async function signIn(practiceId: string, email: string): Promise<string> {
  const created = await createUser(t.db, practiceId, email, 'correct horse battery');
  assert.ok(created.ok);
  const res = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password: 'correct horse battery' } });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('bc_session='));
  return cookie!.split(';')[0]!;
}

test('still failing falls as retries succeed; the banner, the open failures and the error file follow it', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'Still Failing Practice');
  const books = await createSourceToken(t.db, practiceId, 'brightbooks');
  assert.ok(books.ok);
  const booksToken = books.value.token;
  const cookie = await signIn(practiceId, 'sam@still.example');
  const c = sourceClient(t.app, token);
  const asUser = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

  const first = await runImport(token, firstExport);
  assert.deepEqual(failed(first), [3, 2, 4]);
  assert.deepEqual(still(first), [2, 2, 4], 'the duplicate C-3 is failed but not still failing: its first copy was imported');
  assert.equal(first.stillFailing, 8);

  // The error file: root causes first, caused_by naming the root record, still_failing per row.
  const rows = json<ErrorFileRow[]>(await c.get(`/v1/imports/${first.id}/errors?format=json`));
  assert.deepEqual(
    rows.map((r) => [r.record_ref, r.field, r.caused_by, r.still_failing]),
    [
      ['C-2', 'email', null, true],
      ['C-3', 'ref', null, false],
      ['C-4', 'clientType', null, true],
      ['P-2', 'dateOfBirth', null, true],
      ['A-4', 'postcode', null, true],
      ['P-1', 'clients[0].ref', 'client:C-2', true],
      ['A-1', 'owner.ref', 'client:C-2', true],
      ['A-2', 'owner.ref', 'client:C-2', true],
      ['A-3', 'owner.ref', 'contact:P-2', true],
    ],
  );
  const csv = (await c.get(`/v1/imports/${first.id}/errors`)).body.replace(/^\uFEFF/, '').split('\r\n');
  assert.match(csv[0]!, /^record_type,record_ref,record_name,client_reference,field,reason,caused_by,still_failing,/);
  assert.ok(
    csv.some((line) => line.startsWith('address,A-1,') && line.includes(',client:C-2,true,')),
    csv.join('\n'),
  );
  assert.ok(
    csv.some((line) => line.startsWith('client,C-3,') && line.includes(',,false,')),
    csv.join('\n'),
  );

  // Another source of the practice has a failure of its own.
  const booksImport = await runImport(booksToken, [{ type: 'clients', records: [client('X-1', { utr: '1234567890' })] }]);
  assert.equal(booksImport.stillFailing, 1);

  // A partial retry: C-2 fixed (its knock-on P-1, A-1, A-2 come in with it), A-4 fixed; C-4, P-2 still broken.
  const partial = await runImport(
    token,
    [
      { type: 'clients', records: [client('C-2'), client('C-4', { clientType: 'ltd' })] },
      { type: 'contacts', records: [contact('P-1', 'C-2'), contact('P-2', 'C-1', { dateOfBirth: '2999-01-01' })] },
      {
        type: 'addresses',
        records: [
          address('A-1', { type: 'contact', ref: 'P-1' }),
          address('A-2', { type: 'client', ref: 'C-2' }),
          address('A-3', { type: 'contact', ref: 'P-2' }),
          address('A-4', { type: 'client', ref: 'C-1' }),
        ],
      },
    ],
    first.id,
  );
  assert.deepEqual(failed(partial), [1, 1, 1]);
  assert.deepEqual(still(partial), [1, 1, 1]);
  const firstNow = json<ImportView>(await c.get(`/v1/imports/${first.id}`));
  assert.deepEqual(failed(firstNow), [3, 2, 4], 'failed stays what happened');
  assert.deepEqual(still(firstNow), [1, 1, 1]);
  assert.equal(firstNow.stillFailing, 3);

  // The banner's query, and the banner itself: a ref failing in the import and its retry is one record to fix.
  const listed = json<{ imports: ImportView[] }>(await asUser('/v1/imports?stillFailing=true')).imports;
  assert.deepEqual(listed.map((i) => i.id).sort(), [first.id, partial.id, booksImport.id].sort());
  assert.deepEqual(
    json<{ imports: ImportView[] }>(await c.get('/v1/imports?stillFailing=true')).imports.map((i) => i.id),
    [partial.id, first.id],
    'a source token lists its own source only, newest first',
  );
  const banner = json<{ imports: ImportView[]; stillFailing: number }>(await asUser('/v1/banner'));
  assert.equal(banner.imports.length, 3);
  assert.equal(banner.stillFailing, 4, 'C-4, P-2, A-3 once each, and X-1');

  // The open failures: each ref once, from the latest import it failed in; root causes first; filters.
  const open = json<FailureRow[]>(await asUser('/v1/failures?format=json'));
  assert.deepEqual(
    open.map((r) => [r.source, r.record_ref, r.code, r.caused_by, r.import_id]),
    [
      ['brightbooks', 'X-1', 'invalid_utr', null, booksImport.id],
      ['brightmanager', 'C-4', 'invalid_value', null, partial.id],
      ['brightmanager', 'P-2', 'date_not_in_past', null, partial.id],
      ['brightmanager', 'A-3', 'parent_failed', 'contact:P-2', partial.id],
    ],
  );
  assert.ok(open.every((r) => r.still_failing));
  const refsOf = async (query: string) => json<FailureRow[]>(await asUser(`/v1/failures?format=json&${query}`)).map((r) => r.record_ref);
  assert.deepEqual(await refsOf('source=brightbooks'), ['X-1']);
  assert.deepEqual(await refsOf('type=clients'), ['X-1', 'C-4']);
  assert.deepEqual(await refsOf('code=parent_failed'), ['A-3']);
  assert.deepEqual(await refsOf('source=brightmanager&type=contacts'), ['P-2']);
  assertProblem(await asUser('/v1/failures?code=made_up'), 400);
  assert.deepEqual(
    json<FailureRow[]>(await c.get('/v1/failures?format=json&source=brightbooks')),
    [],
    "a source token never sees another source's failures",
  );
  const groups = json<{ groups: FailureGroupView[] }>(await asUser('/v1/failures/groups')).groups;
  assert.deepEqual(
    groups.map((g) => [g.code, g.recordType, g.rootCause, g.records]),
    [
      ['invalid_value', 'clients', true, 1],
      ['invalid_utr', 'clients', true, 1],
      ['date_not_in_past', 'contacts', true, 1],
      ['parent_failed', 'addresses', false, 1],
    ],
  );
  const openCsv = await asUser('/v1/failures?type=clients');
  assert.match(String(openCsv.headers['content-type']), /^text\/csv/);
  const csvLines = openCsv.body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  assert.match(
    csvLines[0]!,
    /^record_type,record_ref,record_name,client_reference,field,reason,caused_by,still_failing,.*,import_id,source$/,
  );
  assert.equal(csvLines.length, 3);
  assert.ok(csvLines[2]!.endsWith(`,${partial.id},brightmanager`), csvLines[2]);

  // Another practice sees none of it.
  const stranger = await createSource(t.db, 'brightmanager', 'Stranger Practice');
  assert.deepEqual(json<FailureRow[]>(await sourceClient(t.app, stranger.token).get('/v1/failures?format=json')), []);
  assert.deepEqual(
    json<{ imports: ImportView[] }>(await sourceClient(t.app, stranger.token).get('/v1/imports?stillFailing=true')).imports,
    [],
  );

  // A full retry of the first import brings in the rest: nothing is still failing anywhere in brightmanager.
  const full = await runImport(
    token,
    [
      { type: 'clients', records: [client('C-4')] },
      { type: 'contacts', records: [contact('P-2', 'C-1')] },
      { type: 'addresses', records: [address('A-3', { type: 'contact', ref: 'P-2' })] },
    ],
    first.id,
  );
  assert.deepEqual(failed(full), [0, 0, 0]);
  for (const id of [first.id, partial.id]) {
    const view = json<ImportView>(await c.get(`/v1/imports/${id}`));
    assert.deepEqual(still(view), [0, 0, 0], id);
    assert.equal(view.stillFailing, 0);
  }
  const fixedRows = json<ErrorFileRow[]>(await c.get(`/v1/imports/${first.id}/errors?format=json`));
  assert.equal(fixedRows.length, 9, 'the error file still lists what happened');
  assert.ok(fixedRows.every((r) => !r.still_failing));
  assert.deepEqual(
    json<{ imports: ImportView[] }>(await asUser('/v1/imports?stillFailing=true')).imports.map((i) => i.id),
    [booksImport.id],
  );
  assert.deepEqual(
    json<{ imports: ImportView[] }>(await asUser('/v1/imports?stillFailing=false&status=completed')).imports.map((i) => i.id),
    [full.id, partial.id, first.id],
  );
  assert.deepEqual(await refsOf(''), ['X-1']);
  assert.equal(json<{ stillFailing: number }>(await asUser('/v1/banner')).stillFailing, 1);

  // Nothing left to retry: refused, and no import is created.
  const before = json<{ imports: ImportView[] }>(await c.get('/v1/imports')).imports.length;
  const refused = assertProblem(await c.post(`/v1/imports/${first.id}/retry`), 409, /nothing left to retry/);
  assert.equal(refused.code, 'nothing_to_retry');
  assert.equal(json<{ imports: ImportView[] }>(await c.get('/v1/imports')).imports.length, before);
});
