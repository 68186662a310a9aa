// Undo (SPEC §10), one source: the preview, the undo through its job to `undone`, and what a practice notices —
// nothing of the import left in the central tables or in search, the import still listed (undone, by whom), no
// open failures or banner from it, the same export sent again importing with the same counts; an import's
// completed retries undone with it, a retry undone alone; refusals (dependants, not completed, dry run) and scope.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientPage } from '../../src/contract/clients.contract.ts';
import type { ImportList, ImportView } from '../../src/contract/imports.contract.ts';
import type { UndoPreview } from '../../src/contract/undo.contract.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { createUser } from '../../src/users/user.service.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let base: string;
before(async () => {
  t = await startTestApp({ sessions: true });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
after(async () => {
  await t?.close();
});

type Batch = { type: 'clients' | 'contacts' | 'addresses'; records: object[] };

async function runImport(token: string, batches: Batch[], retryOf: string | null = null): Promise<ImportView> {
  const c = sourceClient(t.app, token);
  const started = retryOf ? await c.post(`/v1/imports/${retryOf}/retry`) : await c.startImport();
  assert.equal(started.statusCode, 201, started.body);
  const id = json<ImportView>(started).id;
  for (const [i, body] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, body)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  return waitForCompletion(t.app, token, id);
}

async function waitUndone(token: string, id: string): Promise<ImportView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = json<ImportView>(await sourceClient(t.app, token).get(`/v1/imports/${id}`));
    if (view.status === 'undone') return view;
    assert.ok(Date.now() < deadline, `import ${id} was not undone: ${view.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function centralCounts(practiceId: string) {
  const { rows } = await t.db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM clients WHERE practice_id = $1)::int AS clients,
            (SELECT count(*) FROM contacts WHERE practice_id = $1)::int AS contacts,
            (SELECT count(*) FROM addresses WHERE practice_id = $1)::int AS addresses,
            (SELECT count(*) FROM client_contacts WHERE practice_id = $1)::int AS roles,
            (SELECT count(*) FROM source_records WHERE practice_id = $1)::int AS keys,
            (SELECT count(*) FROM undo_records WHERE practice_id = $1)::int AS plan`,
    [practiceId],
  );
  return rows[0]!;
}

const preview = async (token: string, id: string) => {
  const res = await sourceClient(t.app, token).get(`/v1/imports/${id}/undo`);
  assert.equal(res.statusCode, 200, res.body);
  return json<UndoPreview>(res);
};

const exported = (options: { corrected?: boolean } = {}) => toBatches(generatePractice({ clients: 60, seed: 7, ...options }).records, 40);

/** Reads a text/event-stream until the server ends it: the events' names and statuses. */
async function readEvents(id: string, token: string): Promise<{ event: string; status: string }[]> {
  const res = await fetch(`${base}/v1/imports/${id}/events`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return (await res.text())
    .split('\n\n')
    .map((block) => ({ event: /^event: (.+)$/m.exec(block)?.[1], data: /^data: (.+)$/m.exec(block)?.[1] }))
    .filter((e): e is { event: string; data: string } => e.event !== undefined && e.data !== undefined)
    .map((e) => ({ event: e.event, status: (JSON.parse(e.data) as ImportView).status }));
}

test('undo: the preview, undoing → undone, nothing left, still listed; the same export again imports the same', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'Undo Practice');
  const c = sourceClient(t.app, token);
  const batches = exported();
  const first = await runImport(token, batches);
  assert.ok(first.counts.clients.failed > 0 && first.stillFailing > 0, 'the export has planted failures');
  const afterFirst = await centralCounts(practiceId);

  const seen = await preview(token, first.id);
  assert.deepEqual(seen.imports, [first.id]);
  assert.equal(seen.undoable, true);
  assert.equal(seen.refusal, null);
  for (const type of ['clients', 'contacts', 'addresses'] as const) {
    assert.deepEqual(seen.counts[type], { remove: first.counts[type].imported, keep: 0 }, type);
    assert.equal(seen.examples[type].length, 5, type);
  }
  assert.equal(seen.removeTotal, afterFirst.clients! + afterFirst.contacts! + afterFirst.addresses!);
  assert.deepEqual(seen.dependants, { contacts: 0, addresses: 0 });
  const [someName] = seen.examples.clients;
  assert.ok(someName);
  const searched = async () => json<ClientPage>(await c.get(`/v1/clients?search=${encodeURIComponent(someName)}`)).clients;
  assert.ok((await searched()).length > 0);

  const started = await c.post(`/v1/imports/${first.id}/undo`);
  assert.equal(started.statusCode, 202, started.body);
  const undoing = json<ImportView>(started);
  assert.equal(undoing.status, 'undoing');
  assert.deepEqual(undoing.undoRequestedBy, { kind: 'source', source: 'brightmanager' });
  assert.ok(undoing.undoRequestedAt);
  const events = await readEvents(first.id, token);
  assert.deepEqual(events.at(-1), { event: 'done', status: 'undone' }, JSON.stringify(events));

  const undone = await waitUndone(token, first.id);
  assert.equal(undone.progress, 1);
  assert.ok(undone.undoneAt);
  assert.equal(undone.stillFailing, 0, 'an undone import has nothing still failing');
  assert.deepEqual(undone.counts.clients.imported, first.counts.clients.imported, 'its counts tell what happened');
  assert.deepEqual(await centralCounts(practiceId), { clients: 0, contacts: 0, addresses: 0, roles: 0, keys: 0, plan: 0 });
  assert.deepEqual(await searched(), [], 'search finds nothing of it');

  // Asked again: the undone import. Listed, marked undone; nothing in the open failures or the banner.
  const again = await c.post(`/v1/imports/${first.id}/undo`);
  assert.equal(again.statusCode, 202);
  assert.equal(json<ImportView>(again).status, 'undone');
  const listed = json<ImportList>(await c.get('/v1/imports')).imports;
  assert.deepEqual(
    listed.map((i) => [i.id, i.status]),
    [[first.id, 'undone']],
  );
  assert.deepEqual(json<ImportList>(await c.get('/v1/imports?stillFailing=true')).imports, []);
  assert.deepEqual(json<unknown[]>(await c.get('/v1/failures?format=json')), []);
  const nothing = await preview(token, first.id);
  assert.equal(nothing.refusal?.code, 'import_not_completed');
  assert.equal(nothing.removeTotal, 0);

  // The keys were released: the same export imports again, with the same counts and the same central rows.
  const resent = await runImport(token, batches);
  assert.deepEqual(resent.counts, first.counts);
  assert.deepEqual(await centralCounts(practiceId), afterFirst);
  assert.ok(json<unknown[]>(await c.get('/v1/failures?format=json')).length > 0, 'the re-sent import’s failures are open');
});

async function signIn(practiceId: string, email: string) {
  assert.ok((await createUser(t.db, practiceId, email, 'correct horse battery')).ok);
  const res = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password: 'correct horse battery' } });
  const cookie = [res.headers['set-cookie']]
    .flat()
    .find((v) => v?.startsWith('bc_session='))!
    .split(';')[0]!;
  return { cookie, 'x-csrf-token': json<{ csrfToken: string }>(res).csrfToken };
}

test('a practice user undoes an import: its completed retry is undone with it, both by that user', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'Undo Retry Practice');
  const first = await runImport(token, exported());
  const retry = await runImport(token, exported({ corrected: true }), first.id);
  assert.ok(retry.counts.clients.imported > 0);
  const headers = await signIn(practiceId, 'ola@undo.example');

  const seen = json<UndoPreview>(await t.app.inject({ method: 'GET', url: `/v1/imports/${first.id}/undo`, headers }));
  assert.deepEqual(seen.imports, [first.id, retry.id]);
  assert.equal(seen.counts.clients.remove, first.counts.clients.imported + retry.counts.clients.imported);

  const res = await t.app.inject({ method: 'POST', url: `/v1/imports/${first.id}/undo`, headers });
  assert.equal(res.statusCode, 202, res.body);
  const user = { kind: 'user', email: 'ola@undo.example' };
  assert.deepEqual(json<ImportView>(res).undoRequestedBy, user);
  await waitUndone(token, first.id);
  const retried = await waitUndone(token, retry.id);
  assert.deepEqual(retried.undoRequestedBy, user);
  assert.deepEqual(await centralCounts(practiceId), { clients: 0, contacts: 0, addresses: 0, roles: 0, keys: 0, plan: 0 });
});

test('a retry undone alone takes back what it brought: its refs are still failing in the import it retried', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'Undo Alone Practice');
  const c = sourceClient(t.app, token);
  const first = await runImport(token, exported());
  const afterFirst = await centralCounts(practiceId);
  const retry = await runImport(token, exported({ corrected: true }), first.id);
  assert.equal(json<ImportView>(await c.get(`/v1/imports/${first.id}`)).stillFailing, 0);

  assert.deepEqual((await preview(token, retry.id)).imports, [retry.id]);
  assert.equal((await c.post(`/v1/imports/${retry.id}/undo`)).statusCode, 202);
  await waitUndone(token, retry.id);
  const original = json<ImportView>(await c.get(`/v1/imports/${first.id}`));
  assert.equal(original.status, 'completed');
  assert.equal(original.stillFailing, first.stillFailing);
  assert.deepEqual(await centralCounts(practiceId), afterFirst);
  // The original can be retried again.
  assert.equal((await c.post(`/v1/imports/${first.id}/retry`)).statusCode, 201);
});

const client = (ref: string, name: string) => ({ ref, clientReference: ref, name, clientType: 'limited_company' });

test('refused while records of other imports depend on it (409 undo_has_dependants with counts); undone in order', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'Undo Dependants Practice');
  const c = sourceClient(t.app, token);
  const first = await runImport(token, [{ type: 'clients', records: [client('C-1', 'One Ltd'), client('C-2', 'Two Ltd')] }]);
  const later = await runImport(token, [
    { type: 'contacts', records: [{ ref: 'P-1', lastName: 'Smith', clients: [{ ref: 'C-1', role: 'director' }] }] },
    {
      type: 'addresses',
      records: [
        { ref: 'A-1', owner: { type: 'client', ref: 'C-2' }, line1: '1 High St', town: 'Leeds', postcode: 'LS1 5HD', from: '2020-01-01' },
      ],
    },
  ]);
  assert.equal(later.counts.contacts.imported + later.counts.addresses.imported, 2);

  const seen = await preview(token, first.id);
  assert.equal(seen.undoable, false);
  assert.equal(seen.refusal?.code, 'undo_has_dependants');
  assert.deepEqual(seen.dependants, { contacts: 1, addresses: 1 });
  const refused = assertProblem(await c.post(`/v1/imports/${first.id}/undo`), 409, /depend/);
  assert.equal(refused.code, 'undo_has_dependants');
  assert.deepEqual(refused.dependants, { contacts: 1, addresses: 1 });
  assert.equal(json<ImportView>(await c.get(`/v1/imports/${first.id}`)).status, 'completed');

  assert.equal((await c.post(`/v1/imports/${later.id}/undo`)).statusCode, 202);
  await waitUndone(token, later.id);
  assert.equal((await c.post(`/v1/imports/${first.id}/undo`)).statusCode, 202);
  await waitUndone(token, first.id);
  assert.deepEqual(await centralCounts(practiceId), { clients: 0, contacts: 0, addresses: 0, roles: 0, keys: 0, plan: 0 });
});

test('only a completed, non-dry-run import; another practice’s or source’s import is not found', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'Undo Refusals Practice');
  const c = sourceClient(t.app, token);
  const receiving = json<ImportView>(await c.startImport()).id;
  assert.equal(assertProblem(await c.post(`/v1/imports/${receiving}/undo`), 409, /only a completed import/).code, 'import_not_completed');
  assert.equal((await preview(token, receiving)).refusal?.code, 'import_not_completed');

  const dry = json<ImportView>(await c.startImport({ dryRun: true })).id;
  assert.equal((await c.putBatch(dry, 1, { type: 'clients', records: [client('D-1', 'Dry Ltd')] })).statusCode, 202);
  assert.equal((await c.complete(dry, 1)).statusCode, 202);
  await waitForCompletion(t.app, token, dry);
  assert.equal(assertProblem(await c.post(`/v1/imports/${dry}/undo`), 409, /dry run/).code, 'dry_run');
  assert.equal((await preview(token, dry)).refusal?.code, 'dry_run');
  const done = await runImport(token, [{ type: 'clients', records: [client('D-1', 'Dry Ltd')] }]);

  const other = await createSource(t.db, 'brightmanager', 'Another Practice');
  const stranger = sourceClient(t.app, other.token);
  assertProblem(await stranger.get(`/v1/imports/${done.id}/undo`), 404);
  assertProblem(await stranger.post(`/v1/imports/${done.id}/undo`), 404);
  const books = await createSourceToken(t.db, practiceId, 'brightbooks');
  assert.ok(books.ok);
  assertProblem(await sourceClient(t.app, books.value.token).post(`/v1/imports/${done.id}/undo`), 404);
  const strangerUser = await signIn(other.practiceId, 'eve@other.example');
  assertProblem(await t.app.inject({ method: 'POST', url: `/v1/imports/${done.id}/undo`, headers: strangerUser }), 404);
  assert.equal(json<ImportView>(await c.get(`/v1/imports/${done.id}`)).status, 'completed', 'nothing happened to it');
});
