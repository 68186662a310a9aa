// Which role really writes on the request path: a trigger on every tenant table records the role, the connection's
// pool (application_name) and the statement of each write while a source product and a practice user go through
// an import's life over the API. Every request-path write must be the tenant writer's (row-level security applies),
// except the COPYs of intake — a batch's held bytes, then its staged rows and errors —, which PostgreSQL refuses
// under row security (SPEC §8).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Activation } from '../../src/contract/activation.contract.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import type { ChangedRecords } from '../../src/contract/matches.contract.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import type { SessionAnswer } from '../../src/contract/session.contract.ts';
import { TENANT_ROLES } from '../../src/db/tenant.ts';
import { createUser } from '../../src/users/user.service.ts';
import { json } from '../helpers/json.ts';
import { itemFor, matches, reviewPractice, userPost } from '../helpers/review.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ sessions: true });
  await t.db.query(`
    CREATE TABLE write_audit (tbl text, op text, who name, pool text, statement text);
    GRANT INSERT ON write_audit TO PUBLIC;
    CREATE FUNCTION audit_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO write_audit VALUES (TG_TABLE_NAME, TG_OP, current_user, current_setting('application_name'), left(current_query(), 60));
      RETURN NULL;
    END $$;
    DO $$
    DECLARE t text;
    BEGIN
      FOR t IN SELECT DISTINCT table_name FROM information_schema.columns
                WHERE table_schema = 'public' AND column_name IN ('practice_id', 'import_id') AND table_name NOT LIKE 'practice\\_%'
                UNION SELECT 'practices' LOOP
        EXECUTE format('CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_write()', t);
      END LOOP;
    END $$;`);
});
after(async () => {
  await t?.close();
});

interface Write {
  tbl: string;
  op: string;
  who: string;
  statement: string;
}

test('every write the request path makes runs as the tenant writer, but the COPYs of a batch and its staged rows', async () => {
  const source = await createSource(t.db, 'brightmanager', 'Audited');
  const user = await createUser(t.db, source.practiceId, 'ann@audited.example', 'correct horse battery');
  assert.ok(user.ok);
  const c = sourceClient(t.app, source.token);
  const auth = { authorization: `Bearer ${source.token}` };

  const started = await t.app.inject({ method: 'POST', url: '/v1/imports', headers: { ...auth, 'idempotency-key': 'k-1' }, payload: {} });
  assert.equal(started.statusCode, 201, started.body);
  const { id } = json<ImportView>(started);
  const batch = {
    type: 'clients',
    records: [
      { ref: 'C-1', clientReference: 'OK01', name: 'Fine Ltd', clientType: 'limited_company' },
      { ref: 'C-2', clientReference: 'BAD01', name: 'Broken Ltd', clientType: 'limited_company', email: 'nope@' },
    ],
  };
  assert.equal((await c.putBatch(id, 1, batch)).statusCode, 202);
  assert.equal((await c.putBatch(id, 1, batch)).statusCode, 200);
  assert.equal((await c.complete(id, 1)).statusCode, 202);
  await waitForCompletion(t.app, source.token, id);

  const signedIn = await t.app.inject({
    method: 'POST',
    url: '/v1/session',
    payload: { email: 'ann@audited.example', password: 'correct horse battery' },
  });
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  const cookie = [signedIn.headers['set-cookie']].flat()[0]!.split(';')[0]!;
  const asUser = { cookie, 'x-csrf-token': json<SessionAnswer>(signedIn).csrfToken };
  const retry = await t.app.inject({ method: 'POST', url: `/v1/imports/${id}/retry`, headers: asUser });
  assert.equal(retry.statusCode, 201, retry.body);
  const cancelled = await t.app.inject({ method: 'POST', url: `/v1/imports/${json<ImportView>(retry).id}/cancel`, headers: asUser });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  const dismissed = await t.app.inject({ method: 'POST', url: '/v1/banner/dismissals', headers: asUser, payload: { importId: id } });
  assert.equal(dismissed.statusCode, 204, dismissed.body);
  // brightmanager has migrated; the activation opens an import for brightbooks, connected since.
  assert.ok((await createSourceToken(t.db, source.practiceId, 'brightbooks')).ok);
  const activated = await t.app.inject({ method: 'POST', url: '/v1/activation', headers: asUser });
  assert.equal(activated.statusCode, 200, activated.body);
  assert.deepEqual(
    json<Activation>(activated).sources.map((s) => s.state),
    ['waiting', 'completed'],
  );
  const undoing = await t.app.inject({ method: 'POST', url: `/v1/imports/${id}/undo`, headers: asUser });
  assert.equal(undoing.statusCode, 202, undoing.body);
  assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/session', headers: asUser })).statusCode, 204);

  const { rows } = await t.db.query<Write>(
    `SELECT DISTINCT tbl, op, who, CASE WHEN statement ILIKE 'COPY%' THEN 'COPY' ELSE 'SQL' END AS statement
       FROM write_audit WHERE pool = 'brightclient-requests' ORDER BY tbl, op, who, statement`,
  );
  const byWriter = rows.filter((r) => r.who === TENANT_ROLES.write);
  for (const [tbl, op] of [
    ['imports', 'INSERT'],
    ['imports', 'UPDATE'],
    ['import_counts', 'INSERT'],
    ['import_counts', 'UPDATE'],
    ['batches', 'UPDATE'],
    ['staged_clients', 'DELETE'],
    ['banner_dismissals', 'INSERT'],
  ])
    assert.ok(
      byWriter.some((r) => r.tbl === tbl && r.op === op),
      `${op} on ${tbl} by the writer: ${JSON.stringify(rows)}`,
    );
  assert.deepEqual(
    rows.filter((r) => r.who !== TENANT_ROLES.write && r.statement !== 'COPY'),
    [],
    'request-path writes that bypass row-level security',
  );
  // The exception is real and narrow: the batch's row with its bytes, its staged rows and its error rows, copied.
  assert.deepEqual(
    rows.filter((r) => r.who !== TENANT_ROLES.write).map((r) => r.tbl),
    ['batches', 'record_errors', 'staged_clients'],
  );
});

test('the review decisions (merge, keep apart, split) write as the tenant writer', async () => {
  const p = await reviewPractice(t, 'Audited Review');
  await t.db.query('TRUNCATE write_audit');
  const open = await matches(t, p);
  const merged = await userPost(t, p, `/v1/matches/${itemFor(open, ['M-3'], ['B-3']).id}/merge`);
  assert.equal(merged.statusCode, 200, merged.body);
  const kept = await userPost(t, p, `/v1/matches/${itemFor(open, ['M-4'], ['B-4']).id}/keep-apart`);
  assert.equal(kept.statusCode, 200, kept.body);
  const survivor = json<ChangedRecords>(merged).clients[0]!.id;
  const split = await userPost(t, p, `/v1/clients/${survivor}/split`, { source: 'brightbooks', ref: 'B-3' });
  assert.equal(split.statusCode, 200, split.body);

  const { rows } = await t.db.query<Write>(
    `SELECT DISTINCT tbl, op, who FROM write_audit WHERE pool = 'brightclient-requests' ORDER BY tbl, op`,
  );
  assert.deepEqual(
    rows.filter((r) => r.who !== TENANT_ROLES.write),
    [],
    'decisions that bypass row-level security',
  );
  for (const [tbl, op] of [
    ['source_records', 'UPDATE'],
    ['clients', 'INSERT'],
    ['clients', 'DELETE'],
    ['client_contacts', 'UPDATE'],
    ['addresses', 'UPDATE'],
    ['match_reviews', 'UPDATE'],
    ['merged_records', 'INSERT'],
    ['record_actions', 'INSERT'],
  ])
    assert.ok(
      rows.some((r) => r.tbl === tbl && r.op === op),
      `${op} on ${tbl}: ${JSON.stringify(rows)}`,
    );
});
