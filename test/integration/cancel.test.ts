// Cancel and expiry (SPEC §10): a receiving import is cancelled by its source or a practice user (who and when are
// kept), its staged records dropped, any other status refused with import_not_receiving; the event stream ends
// with `done`; idle receiving imports expire through the pg-boss schedule; the sender cancels an import it started
// when it stops before its first batch was acknowledged, so an unreadable export leaves no orphan.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { EXPIRE_RECEIVING } from '../../src/db/queue.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { createUser } from '../../src/users/user.service.ts';
import { createApiClient, retryImport, sendExport, type SourceRecord } from '../../packages/sender/src/index.ts';
import { assertProblem } from '../helpers/problem.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

const TTL_HOURS = 0.001; // 3.6 seconds: a test sees an import expire without waiting a day

let t: TestApp;
let base: string;
before(async () => {
  t = await startTestApp({ sessions: true, settings: { receivingTtlHours: TTL_HOURS } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
after(async () => {
  await t?.close();
});

const json = <T>(res: LightMyRequestResponse): T => res.json<T>();
const clients = (...refs: string[]) => ({
  type: 'clients',
  records: refs.map((ref) => ({ ref, clientReference: `R${ref}`, name: `${ref} Ltd`, clientType: 'limited_company' })),
});

async function stagedRows(importId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM staged_clients WHERE import_id = $1) + (SELECT count(*) FROM staged_contacts WHERE import_id = $1)
             + (SELECT count(*) FROM staged_addresses WHERE import_id = $1))::int AS n`,
    [importId],
  );
  return rows[0]!.n;
}

test('a receiving import is cancelled by its source: staged rows dropped, who and when kept, nothing more accepted', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Cancel Practice');
  const c = sourceClient(t.app, token);
  const id = json<ImportView>(await c.startImport()).id;
  assert.equal((await c.putBatch(id, 1, clients('C-1', 'C-2'))).statusCode, 202);
  assert.equal(await stagedRows(id), 2);

  const res = await c.post(`/v1/imports/${id}/cancel`);
  assert.equal(res.statusCode, 200, res.body);
  const cancelled = json<ImportView>(res);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.cancelReason, 'cancelled');
  assert.deepEqual(cancelled.cancelledBy, { kind: 'source', source: 'brightmanager' });
  assert.ok(Date.now() - Date.parse(cancelled.cancelledAt!) < 60_000);
  assert.equal(cancelled.counts.clients.received, 2, 'what had arrived is still told');
  assert.equal(await stagedRows(id), 0);
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM clients');
  assert.equal(rows[0]!.n, 0, 'nothing committed');

  // Cancelled is final: no batch, no complete, no second cancel; the list shows the status.
  assert.equal(assertProblem(await c.putBatch(id, 2, clients('C-3')), 409).code, 'import_not_receiving');
  assert.equal(assertProblem(await c.complete(id, 1), 409).code, 'import_not_receiving');
  assert.equal(assertProblem(await c.post(`/v1/imports/${id}/cancel`), 409).code, 'import_not_receiving');
  assert.deepEqual(
    json<{ imports: ImportView[] }>(await c.get('/v1/imports?status=cancelled')).imports.map((i) => i.id),
    [id],
  );

  // The event stream of a cancelled import ends at once with `done`.
  const events = await (await fetch(`${base}/v1/imports/${id}/events`, { headers: { authorization: `Bearer ${token}` } })).text();
  assert.match(events, /event: done\ndata: \{[^\n]*"status":"cancelled"/);
});

test('an import that is processing or completed cannot be cancelled; other practices and sources get 404', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightbooks', 'States Practice');
  const c = sourceClient(t.app, token);
  const done = json<ImportView>(await c.startImport()).id;
  await c.putBatch(done, 1, clients('S-1'));
  await c.complete(done, 1);
  await waitForCompletion(t.app, token, done);
  const refused = assertProblem(await c.post(`/v1/imports/${done}/cancel`), 409, /only an import that is still receiving/);
  assert.equal(refused.code, 'import_not_receiving');

  // Processing: held so by hand (no job enqueued), so the state cannot move on under the test.
  const busy = json<ImportView>(await c.startImport()).id;
  await t.db.query(`UPDATE imports SET status = 'processing', phase = 'queued' WHERE id = $1`, [busy]);
  assert.equal(assertProblem(await c.post(`/v1/imports/${busy}/cancel`), 409).code, 'import_not_receiving');

  const receiving = json<ImportView>(await c.startImport()).id;
  const stranger = sourceClient(t.app, (await createSource(t.db, 'brightbooks', 'Stranger Practice')).token);
  assertProblem(await stranger.post(`/v1/imports/${receiving}/cancel`), 404);
  const sibling = await createSourceToken(t.db, practiceId, 'brightap');
  assert.ok(sibling.ok);
  assertProblem(await sourceClient(t.app, sibling.value.token).post(`/v1/imports/${receiving}/cancel`), 404);
  assert.equal(json<ImportView>(await c.get(`/v1/imports/${receiving}`)).status, 'receiving');
});

test('a practice user cancels a waiting retry; the user is recorded', async () => {
  const { practiceId, token } = await createSource(t.db, 'brightmanager', 'User Cancel Practice');
  const c = sourceClient(t.app, token);
  const first = json<ImportView>(await c.startImport()).id;
  await c.putBatch(first, 1, { type: 'clients', records: [{ ref: 'U-1', clientReference: 'U1', name: 'U Ltd', clientType: 'bad' }] });
  await c.complete(first, 1);
  await waitForCompletion(t.app, token, first);
  assert.ok((await createUser(t.db, practiceId, 'ola@cancel.example', 'correct horse battery')).ok);
  const signIn = await t.app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { email: 'ola@cancel.example', password: 'correct horse battery' },
  });
  const cookie = [signIn.headers['set-cookie']]
    .flat()
    .find((v) => v?.startsWith('bc_session='))!
    .split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken };

  const retry = json<ImportView>(await t.app.inject({ method: 'POST', url: `/v1/imports/${first}/retry`, headers }));
  assert.deepEqual(retry.startedBy, { kind: 'user', email: 'ola@cancel.example' });
  assert.equal(
    (await t.app.inject({ method: 'POST', url: `/v1/imports/${retry.id}/cancel`, headers: { cookie } })).statusCode,
    403,
    'a user needs the CSRF header',
  );
  const res = await t.app.inject({ method: 'POST', url: `/v1/imports/${retry.id}/cancel`, headers });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(json<ImportView>(res).cancelledBy, { kind: 'user', email: 'ola@cancel.example' });
  // The original can be retried again: the cancelled retry imported nothing.
  assert.equal((await c.post(`/v1/imports/${first}/retry`)).statusCode, 201);
});

test('receiving imports that take no batch for BRIGHTCLIENT_RECEIVING_TTL_HOURS expire through a pg-boss schedule', async () => {
  const schedules = await t.boss.getSchedules(EXPIRE_RECEIVING);
  assert.deepEqual(
    schedules.map((s) => s.cron),
    ['* * * * *'],
  );
  const { token } = await createSource(t.db, 'brightmanager', 'Expiry Practice');
  const c = sourceClient(t.app, token);
  const idle = json<ImportView>(await c.startImport()).id;
  await c.putBatch(idle, 1, clients('E-1'));
  await new Promise((r) => setTimeout(r, TTL_HOURS * 3600 * 1000 + 500));
  const fresh = json<ImportView>(await c.startImport()).id;

  // The schedule sends this job every minute; sent now, the test need not wait for the clock.
  await t.boss.send(EXPIRE_RECEIVING, {});
  const deadline = Date.now() + 20_000;
  let view = json<ImportView>(await c.get(`/v1/imports/${idle}`));
  while (view.status === 'receiving' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    view = json<ImportView>(await c.get(`/v1/imports/${idle}`));
  }
  assert.equal(view.status, 'cancelled');
  assert.equal(view.cancelReason, 'expired');
  assert.equal(view.cancelledBy, null, 'nobody cancelled it');
  assert.equal(await stagedRows(idle), 0);
  assert.equal(json<ImportView>(await c.get(`/v1/imports/${fresh}`)).status, 'receiving', 'an import within its TTL stays');
});

test('the sender cancels the import it started when it stops before its first batch was acknowledged', async () => {
  const { token } = await createSource(t.db, 'brightap', 'Orphan Practice');
  const client = createApiClient({ server: base, token });
  // An export that fails at its first record, as a CSV the reader cannot parse does.
  const unreadable = async function* (): AsyncGenerator<SourceRecord> {
    await Promise.resolve();
    yield* [];
    throw new Error('clients.csv: row 2 has 3 cells, the header 10');
  };
  await assert.rejects(sendExport(client, unreadable(), { stateFile: null }), /row 2 has 3 cells/);
  const [orphan] = await client.listImports({ limit: 1 });
  assert.equal(orphan!.status, 'cancelled');
  assert.deepEqual(orphan!.cancelledBy, { kind: 'source', source: 'brightap' });
  assert.deepEqual(await client.listImports({ status: 'receiving' }), []);

  // A retry this run asked for is cancelled the same way; the original can be retried again.
  const c = sourceClient(t.app, token);
  const first = json<ImportView>(await c.startImport()).id;
  await c.putBatch(first, 1, { type: 'clients', records: [{ ref: 'O-1', clientReference: 'O1', name: 'O Ltd', clientType: 'bad' }] });
  await c.complete(first, 1);
  await waitForCompletion(t.app, token, first);
  await assert.rejects(retryImport(client, first, unreadable(), { stateFile: null }), /row 2 has 3 cells/);
  const [retry] = await client.listImports({ limit: 1 });
  assert.equal(retry!.retryOf, first);
  assert.equal(retry!.status, 'cancelled');
  assert.deepEqual(await client.listImports({ status: 'receiving' }), []);
});
