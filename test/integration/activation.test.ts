// Activation (SPEC §10): a practice user activates BrightClient; every connected source without a completed import
// gets one activation import (receiving, started by that user), idempotently even under concurrent calls; a source
// token is refused; the states follow the import from waiting to completed; a cancelled or expired one is opened
// again; another practice sees nothing; and `brightclient agent` fulfils an activation import with the whole export.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import type { Activation, ActivationSource } from '../../src/contract/activation.contract.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { ADVISORY_LOCKS } from '../../src/db/advisory-locks.sql.ts';
import { expireIdleReceiving } from '../../src/imports/cancel.service.ts';
import { createSourceToken, revokeToken } from '../../src/practices/practice.service.ts';
import { createUser } from '../../src/users/user.service.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import { countsOf, expectedCounts, runCli } from '../sender/sender-helpers.ts';

let t: TestApp;
let url: string;
before(async () => {
  t = await startTestApp({ sessions: true, workers: 2 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
});
after(async () => {
  await t?.close();
});

const PASSWORD = 'correct horse battery staple';

/** A practice user's requests: the session cookie, and the CSRF header on every POST. */
async function signedIn(practiceId: string, email: string) {
  assert.ok((await createUser(t.db, practiceId, email, PASSWORD)).ok);
  const res = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password: PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = [res.headers['set-cookie']]
    .flat()
    .find((v) => v?.startsWith('bc_session='))!
    .split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': json<{ csrfToken: string }>(res).csrfToken };
  return {
    get: (pathname: string) => t.app.inject({ method: 'GET', url: pathname, headers: { cookie } }),
    post: (pathname: string, payload: object = {}) => t.app.inject({ method: 'POST', url: pathname, headers, payload }),
    postWithoutCsrf: (pathname: string) => t.app.inject({ method: 'POST', url: pathname, headers: { cookie }, payload: {} }),
  };
}

const answer = (res: LightMyRequestResponse): Activation => {
  assert.equal(res.statusCode, 200, res.body);
  return json<Activation>(res);
};
const bySource = (a: Activation): Record<string, ActivationSource> => Object.fromEntries(a.sources.map((s) => [s.source, s]));
const states = (a: Activation) => Object.fromEntries(a.sources.map((s) => [s.source, s.state]));

async function addToken(practiceId: string, source: string): Promise<string> {
  const outcome = await createSourceToken(t.db, practiceId, source);
  assert.ok(outcome.ok);
  return outcome.value.token;
}

async function activationImports(practiceId: string): Promise<{ source: string; status: string }[]> {
  const { rows } = await t.db.query<{ source: string; status: string }>(
    `SELECT source, status FROM imports WHERE practice_id = $1 AND kind = 'activation' ORDER BY source, created_at`,
    [practiceId],
  );
  return rows;
}

const oneClient = (ref: string) => ({
  type: 'clients',
  records: [{ ref, clientReference: `R${ref}`, name: `${ref} Trading Ltd`, clientType: 'limited_company' }],
});

async function importOnce(token: string, ref: string): Promise<string> {
  const c = sourceClient(t.app, token);
  const id = json<ImportView>(await c.startImport()).id;
  await c.putBatch(id, 1, oneClient(ref));
  await c.complete(id, 1);
  await waitForCompletion(t.app, token, id);
  return id;
}

test('POST opens one import per connected source with no completed import; again, and concurrently, the same ones', async () => {
  const { practiceId, token: manager } = await createSource(t.db, 'brightmanager', 'Activation Practice');
  const books = await addToken(practiceId, 'brightbooks');
  const ap = await addToken(practiceId, 'brightap');
  await addToken(practiceId, 'brightpay');
  assert.ok((await revokeToken(t.db, await addToken(practiceId, 'brightlegacy'))).ok);
  // brightap migrated on its own before: it needs no activation import. brightpay's only import was a dry run
  // and brightbooks' was undone: neither wrote data that stands, so both are activated.
  const apImport = await importOnce(ap, 'AP-1');
  const dry = await importOnce(manager, 'M-0');
  await t.db.query(`UPDATE imports SET dry_run = true WHERE id = $1`, [dry]);
  const undone = await importOnce(books, 'B-0');
  await t.db.query(`UPDATE imports SET status = 'undone', phase = 'undone', undo_requested_at = now(), undone_at = now() WHERE id = $1`, [
    undone,
  ]);
  const user = await signedIn(practiceId, 'ada@activation.example');

  const before = answer(await user.get('/v1/activation'));
  assert.deepEqual(states(before), {
    brightap: 'completed',
    brightbooks: 'not_started',
    brightmanager: 'not_started',
    brightpay: 'not_started',
  });
  assert.equal(bySource(before)['brightap']!.import!.id, apImport);
  assert.equal(before.activatedAt, null);
  assert.equal(before.completed, false);

  const first = answer(await user.post('/v1/activation'));
  assert.deepEqual(states(first), { brightap: 'completed', brightbooks: 'waiting', brightmanager: 'waiting', brightpay: 'waiting' });
  for (const source of ['brightbooks', 'brightmanager', 'brightpay']) {
    const view = bySource(first)[source]!.import!;
    assert.equal(view.kind, 'activation');
    assert.equal(view.status, 'receiving');
    assert.equal(view.source, source);
    assert.equal(view.requested, null, 'the whole export is asked for');
    assert.deepEqual(view.startedBy, { kind: 'user', email: 'ada@activation.example' });
  }
  assert.deepEqual(first.activatedBy, { kind: 'user', email: 'ada@activation.example' });
  assert.ok(Math.abs(Date.parse(first.activatedAt!) - Date.now()) < 60_000);

  const ids = (a: Activation) => a.sources.map((s) => s.import?.id ?? null);
  assert.deepEqual(ids(answer(await user.post('/v1/activation'))), ids(first), 'activating again answers the same imports');
  const concurrent = await Promise.all(Array.from({ length: 6 }, () => user.post('/v1/activation')));
  for (const res of concurrent) assert.deepEqual(ids(answer(res)), ids(first));
  assert.deepEqual(await activationImports(practiceId), [
    { source: 'brightbooks', status: 'receiving' },
    { source: 'brightmanager', status: 'receiving' },
    { source: 'brightpay', status: 'receiving' },
  ]);

  // Each source token finds its own activation import, and only its own, among the receiving ones.
  const seen = json<{ imports: ImportView[] }>(await sourceClient(t.app, books).get('/v1/imports?status=receiving')).imports;
  assert.deepEqual(
    seen.map((v) => v.id),
    [bySource(first)['brightbooks']!.import!.id],
  );
});

test('a source token, or a session without the CSRF header, is refused', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'Refusing Practice');
  const c = sourceClient(t.app, token);
  assertProblem(await c.post('/v1/activation'), 403, /practice user/);
  assertProblem(await c.get('/v1/activation'), 403, /practice user/);
  const user = await signedIn(practiceId, 'bo@refusing.example');
  assertProblem(await user.postWithoutCsrf('/v1/activation'), 403);
  assertProblem(await t.app.inject({ method: 'GET', url: '/v1/activation' }), 401);
  assert.deepEqual(await activationImports(practiceId), []);
});

test('the state follows the import: waiting, receiving, processing, completed with its counts', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'States Practice');
  const user = await signedIn(practiceId, 'cy@states.example');
  const id = bySource(answer(await user.post('/v1/activation')))['brightmanager']!.import!.id;
  const state = async () => bySource(answer(await user.get('/v1/activation')))['brightmanager']!;
  assert.equal((await state()).state, 'waiting');

  const c = sourceClient(t.app, token);
  assert.equal((await c.putBatch(id, 1, oneClient('S-1'))).statusCode, 202);
  const receiving = await state();
  assert.equal(receiving.state, 'receiving');
  assert.equal(receiving.import!.batches.received, 1);

  // The practice's import lock, held from another connection, keeps the import processing while the test looks.
  const holder = new pg.Client({ connectionString: t.database.url });
  await holder.connect();
  try {
    await holder.query('SELECT pg_advisory_lock(hashtextextended($1, $2))', [practiceId, ADVISORY_LOCKS.practiceImports]);
    assert.equal((await c.complete(id, 1)).statusCode, 202);
    assert.equal((await state()).state, 'processing');
    assert.equal((await state()).import!.status, 'processing');
  } finally {
    await holder.end();
  }
  await waitForCompletion(t.app, token, id);
  const done = answer(await user.get('/v1/activation'));
  assert.equal(done.completed, true);
  assert.equal(bySource(done)['brightmanager']!.state, 'completed');
  assert.equal(bySource(done)['brightmanager']!.import!.counts.clients.imported, 1);
  // Completed: activating again opens nothing.
  answer(await user.post('/v1/activation'));
  assert.deepEqual(await activationImports(practiceId), [{ source: 'brightmanager', status: 'completed' }]);
});

test('a cancelled or expired activation import is cancelled, and activating again opens a new one', async () => {
  const { practiceId } = await createSource(t.db, 'brightmanager', 'Cancelling Practice');
  const user = await signedIn(practiceId, 'di@cancelling.example');
  const first = bySource(answer(await user.post('/v1/activation')))['brightmanager']!.import!.id;
  assert.equal((await user.post(`/v1/imports/${first}/cancel`)).statusCode, 200);
  const cancelled = bySource(answer(await user.get('/v1/activation')))['brightmanager']!;
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(cancelled.import!.id, first);
  assert.deepEqual(cancelled.import!.cancelledBy, { kind: 'user', email: 'di@cancelling.example' });

  const second = bySource(answer(await user.post('/v1/activation')))['brightmanager']!;
  assert.equal(second.state, 'waiting');
  assert.notEqual(second.import!.id, first);

  // Idle past the receiving TTL: expired, which is cancelled too.
  // (The cancelled one is moved back as far, so that the new one is still the latest.)
  await t.db.query(`UPDATE imports SET created_at = created_at - interval '2 days' WHERE id = ANY($1::uuid[])`, [
    [first, second.import!.id],
  ]);
  assert.ok((await expireIdleReceiving(t.db, 24)) >= 1);
  const expired = bySource(answer(await user.get('/v1/activation')))['brightmanager']!;
  assert.equal(expired.state, 'cancelled');
  assert.equal(expired.import!.cancelReason, 'expired');
  const third = bySource(answer(await user.post('/v1/activation')))['brightmanager']!;
  assert.equal(third.state, 'waiting');
  assert.deepEqual(
    (await activationImports(practiceId)).map((r) => r.status),
    ['cancelled', 'cancelled', 'receiving'],
  );
});

test('another practice sees nothing of an activation', async () => {
  const a = await createSource(t.db, 'brightmanager', 'Practice A');
  const b = await createSource(t.db, 'brightbooks', 'Practice B');
  const userA = await signedIn(a.practiceId, 'ed@a.example');
  const userB = await signedIn(b.practiceId, 'fi@b.example');
  const opened = bySource(answer(await userA.post('/v1/activation')))['brightmanager']!.import!.id;

  const seenByB = answer(await userB.get('/v1/activation'));
  assert.deepEqual(states(seenByB), { brightbooks: 'not_started' });
  assert.equal(seenByB.activatedAt, null);
  assertProblem(await userB.get(`/v1/imports/${opened}`), 404);
  assertProblem(await userB.post(`/v1/imports/${opened}/cancel`), 404);
  assert.deepEqual(json<{ imports: ImportView[] }>(await sourceClient(t.app, b.token).get('/v1/imports?status=receiving')).imports, []);
  assert.deepEqual(await activationImports(b.practiceId), []);
});

test('brightclient agent fulfils an activation import with the whole export', { timeout: 120_000 }, async () => {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-activation-'));
  try {
    const { practiceId, token } = await createSource(t.db, 'brightbooks', 'Agent Activation Practice');
    const dir = path.join(tmp, 'export');
    await writeGeneratedExport(dir, { clients: 120, seed: 15, invalidRate: 0.05, format: 'ndjson' });
    const user = await signedIn(practiceId, 'gu@agent.example');

    // Before activation the agent has nothing to do: an activation is not an import it would start itself.
    const idle = await runCli(['agent', dir, '--once', '--server', url, '--token', token]);
    assert.equal(idle.code, 0, idle.stderr);
    assert.doesNotMatch(idle.stdout, /Activation import/);

    const id = bySource(answer(await user.post('/v1/activation')))['brightbooks']!.import!.id;
    const run = await runCli(['agent', dir, '--once', '--server', url, '--token', token]);
    assert.equal(run.code, 2, `failures planted: ${run.stdout}\n${run.stderr}`);
    assert.match(
      run.stdout,
      new RegExp(`Activation import ${id} asks for the whole export \\(BrightClient was activated by gu@agent.example\\)`),
    );
    assert.match(run.stdout, new RegExp(`Activation import ${id} done with failures; error file: .*brightclient-errors-${id}.csv`));

    const done = bySource(answer(await user.get('/v1/activation')))['brightbooks']!;
    assert.equal(done.state, 'completed');
    assert.equal(done.import!.id, id);
    assert.deepEqual(countsOf(done.import!), await expectedCounts(dir));
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
});
