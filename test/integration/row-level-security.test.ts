// Practice isolation in PostgreSQL itself: reads run as brightclient_tenant and writes as brightclient_tenant_writer
// with the practice set per transaction, and row-level security shows and lets write only that practice's rows —
// even to statements with no practice filter at all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Tx } from '../../src/db/pool.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { TENANT_ROLES, withPractice, withPracticeWrite } from '../../src/db/tenant.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
const practices: { practiceId: string; token: string }[] = [];
before(async () => {
  t = await startTestApp();
  for (const [i, name] of ['Alpha', 'Beta'].entries()) {
    const source = await createSource(t.db, 'brightmanager', name);
    practices.push(source);
    const c = sourceClient(t.app, source.token);
    const { id } = json<ImportView>(await c.startImport());
    const clients = Array.from({ length: 3 + i }, (_, k) => ({
      ref: `C${k}`,
      clientReference: `${name}${k}`,
      name: `${name} ${k} Ltd`,
      clientType: 'llp',
    }));
    await c.putBatch(id, 1, { type: 'clients', records: [...clients, { ref: 'BAD', name: 'No reference' }] });
    await c.putBatch(id, 2, { type: 'contacts', records: [{ ref: 'P1', lastName: 'Lee', clients: [{ ref: 'C0', role: 'director' }] }] });
    await c.putBatch(id, 3, {
      type: 'addresses',
      records: [
        { ref: 'A1', owner: { type: 'client', ref: 'C0' }, line1: '1 Road', town: 'Leeds', postcode: 'LS1 5HD', from: '2020-01-01' },
      ],
    });
    await c.complete(id, 3);
    await waitForCompletion(t.app, source.token, id);
  }
});
after(async () => {
  await t?.close();
});

/** Every table of the schema that holds a practice's data: it has a practice_id or an import_id column. */
async function tenantTables(): Promise<string[]> {
  const { rows } = await t.db.query<{ table_name: string }>(
    `SELECT DISTINCT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name IN ('practice_id', 'import_id')
      ORDER BY c.table_name`,
  );
  return ['practices', ...rows.map((r) => r.table_name)];
}

/** The views the tenant role reads a practice's rows through (search, 0019): practice_<table>. */
async function practiceViews(): Promise<string[]> {
  const { rows } = await t.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

test('every tenant table has row-level security and a policy', async () => {
  const tables = await tenantTables();
  assert.ok(tables.length >= 16, tables.join(', '));
  const { rows } = await t.db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY($1)
        AND c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)`,
    [tables],
  );
  assert.deepEqual(rows.map((r) => r.relname).sort(), [...tables].sort(), 'tables without row-level security');
});

test('a query that forgot its practice filter still sees only its own practice', async () => {
  const [alpha, beta] = practices as unknown as [{ practiceId: string }, { practiceId: string }];
  for (const table of await tenantTables()) {
    const owner =
      table === 'practices'
        ? 'id'
        : (await t.db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = 'practice_id'`, [table]))
              .rowCount
          ? 'practice_id'
          : null;
    for (const practice of [alpha, beta]) {
      const seen = await withPractice(
        t.db,
        practice.practiceId,
        async (tx) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n,
      );
      const expected = owner
        ? (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${owner} = $1`, [practice.practiceId])).rows[0]!.n
        : (
            await t.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM ${table} WHERE import_id IN (SELECT id FROM imports WHERE practice_id = $1)`,
              [practice.practiceId],
            )
          ).rows[0]!.n;
      assert.equal(seen, expected, `${table} for one practice`);
    }
  }
  // A view of practice rows shows exactly its table's rows of the practice, like the policy.
  const views = await practiceViews();
  assert.ok(views.length >= 3, views.join(', '));
  for (const view of views) {
    assert.match(view, /^practice_/);
    for (const practice of [alpha, beta]) {
      const seen = await withPractice(
        t.db,
        practice.practiceId,
        async (tx) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${view}`)).rows[0]!.n,
      );
      const table = view.slice('practice_'.length);
      const expected = (
        await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE practice_id = $1`, [practice.practiceId])
      ).rows[0]!.n;
      assert.equal(seen, expected, `${view} for one practice`);
    }
  }
  const clients = await withPractice(t.db, alpha.practiceId, async (tx) =>
    (await tx.query<{ name: string }>('SELECT name FROM clients ORDER BY name')).rows.map((r) => r.name),
  );
  assert.deepEqual(clients, ['Alpha 0 Ltd', 'Alpha 1 Ltd', 'Alpha 2 Ltd']);
  const join = await withPractice(
    t.db,
    beta.practiceId,
    async (tx) =>
      (
        await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM clients c JOIN source_records r ON r.central_id = c.id JOIN imports i ON i.id = r.import_id',
        )
      ).rows[0]!.n,
  );
  assert.equal(join, 4);
});

test('the tenant role only reads, and sees nothing without a practice', async () => {
  const alpha = practices[0]!;
  await assert.rejects(
    withPractice(t.db, alpha.practiceId, (tx) => tx.query(`UPDATE clients SET name = 'hacked'`)),
    /read-only transaction|permission denied/,
  );
  const tx = await t.db.connect();
  try {
    await tx.query('BEGIN; SET LOCAL ROLE brightclient_tenant');
    assert.equal((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM clients')).rows[0]!.n, 0);
    assert.equal((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM imports')).rows[0]!.n, 0);
    await assert.rejects(tx.query(`INSERT INTO practices (name) VALUES ('x')`), /permission denied/);
  } finally {
    await tx.query('ROLLBACK');
    tx.release();
  }
  // The connection went back to the pool as it came: the owner sees everything again.
  assert.equal((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM clients')).rows[0]!.n, 7);
});

/** Runs `work` in a practice write and rolls it back, answering what `work` answered. */
async function rolledBack<T>(practiceId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  const undo = new Error('roll back');
  await assert.rejects(
    withPracticeWrite(t.db, practiceId, async (tx) => {
      result = await work(tx);
      throw undo;
    }),
    (error) => error === undo,
  );
  return result as T;
}

const count = async (sql: string, values: unknown[] = []) => (await t.db.query<{ n: number }>(sql, values)).rows[0]!.n;

test('a write that forgot its practice filter changes only its own practice’s rows', async () => {
  const [alpha, beta] = practices as unknown as [{ practiceId: string }, { practiceId: string }];
  const alphaClients = await count('SELECT count(*)::int AS n FROM clients WHERE practice_id = $1', [alpha.practiceId]);
  assert.equal(alphaClients, 3);
  const updated = await rolledBack(alpha.practiceId, async (tx) => {
    const { rowCount } = await tx.query(`UPDATE clients SET name = 'renamed'`);
    return { rowCount, seen: (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM clients WHERE name = 'renamed'`)).rows[0]!.n };
  });
  assert.deepEqual(updated, { rowCount: 3, seen: 3 });
  // Rows reached only through their import (batches, errors) are fenced the same way.
  const alphaErrors = await count(
    'SELECT count(*)::int AS n FROM record_errors e JOIN imports i ON i.id = e.import_id WHERE i.practice_id = $1',
    [alpha.practiceId],
  );
  assert.ok(alphaErrors > 0);
  const deleted = await rolledBack(alpha.practiceId, async (tx) => (await tx.query('DELETE FROM record_errors')).rowCount);
  assert.equal(deleted, alphaErrors);

  // For real this time: Beta's rows are untouched.
  const before = await count(`SELECT count(*)::int AS n FROM clients WHERE practice_id = $1 AND name LIKE 'Beta%'`, [beta.practiceId]);
  await withPracticeWrite(t.db, alpha.practiceId, (tx) => tx.query(`UPDATE clients SET name = name || ' (A)'`));
  assert.equal(await count(`SELECT count(*)::int AS n FROM clients WHERE name LIKE '% (A)'`), 3);
  assert.equal(
    await count(`SELECT count(*)::int AS n FROM clients WHERE practice_id = $1 AND name LIKE 'Beta%'`, [beta.practiceId]),
    before,
  );
  assert.equal(before, 4);
  await withPracticeWrite(t.db, alpha.practiceId, (tx) => tx.query(`UPDATE clients SET name = left(name, -4)`));
});

test('a row written for another practice is refused (WITH CHECK), as is a write of the operator’s tables', async () => {
  const [alpha, beta] = practices as unknown as [{ practiceId: string }, { practiceId: string }];
  const refused = /violates row-level security policy/;
  await assert.rejects(
    withPracticeWrite(t.db, alpha.practiceId, (tx) =>
      tx.query(`INSERT INTO imports (practice_id, source) VALUES ($1, 'brightmanager')`, [beta.practiceId]),
    ),
    refused,
  );
  await assert.rejects(
    withPracticeWrite(t.db, alpha.practiceId, (tx) => tx.query(`UPDATE clients SET practice_id = $1`, [beta.practiceId])),
    refused,
  );
  // A row of an import of another practice: that import is invisible, so the row is refused.
  const betaImport = (await t.db.query<{ id: string }>('SELECT id FROM imports WHERE practice_id = $1 LIMIT 1', [beta.practiceId])).rows[0]!
    .id;
  await assert.rejects(
    withPracticeWrite(t.db, alpha.practiceId, (tx) =>
      tx.query(`INSERT INTO import_log (import_id, step, worker, ms) VALUES ($1, 'check', 'x', 1)`, [betaImport]),
    ),
    refused,
  );
  for (const statement of [
    `INSERT INTO practices (name) VALUES ('x')`,
    `UPDATE practices SET name = 'x'`,
    `UPDATE source_tokens SET revoked_at = now()`,
    `DELETE FROM users`,
    `DELETE FROM sessions`,
  ]) {
    await assert.rejects(
      withPracticeWrite(t.db, alpha.practiceId, (tx) => tx.query(statement)),
      /permission denied/,
      statement,
    );
  }
  assert.equal(await count('SELECT count(*)::int AS n FROM imports WHERE practice_id = $1', [beta.practiceId]), 1);
});

test('the tenant roles are no superusers, bypass no row security, own nothing; what the writer writes has WITH CHECK policies', async () => {
  const { rows: roles } = await t.db.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
    `SELECT r.rolname, r.rolsuper, r.rolbypassrls, (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owns
       FROM pg_roles r WHERE r.rolname = ANY($1) ORDER BY r.rolname`,
    [Object.values(TENANT_ROLES)],
  );
  assert.deepEqual(
    roles,
    Object.values(TENANT_ROLES)
      .sort()
      .map((rolname) => ({ rolname, rolsuper: false, rolbypassrls: false, owns: 0 })),
  );
  // Every table a tenant role may write: row-level security on, and for each write command a policy that applies
  // to the role and checks new rows (its WITH CHECK, or for a policy of all commands its USING, as PostgreSQL does).
  const { rows } = await t.db.query<{ role: string; table: string; command: string; checked: boolean; secured: boolean }>(
    `SELECT r.role, c.relname AS table, w.command, c.relrowsecurity AS secured,
            EXISTS (SELECT 1 FROM pg_policy p
                     WHERE p.polrelid = c.oid AND p.polpermissive AND p.polcmd IN ('*', w.cmd)
                       AND EXISTS (SELECT 1 FROM unnest(p.polroles) pr WHERE pr = 0 OR pg_has_role(r.role, pr, 'MEMBER'))
                       AND (CASE WHEN w.command = 'INSERT' THEN coalesce(p.polwithcheck, p.polqual) ELSE p.polqual END) IS NOT NULL) AS checked
       FROM pg_class c, unnest($1::text[]) r(role),
            (VALUES ('INSERT', 'a'::"char"), ('UPDATE', 'w'::"char"), ('DELETE', 'd'::"char")) w(command, cmd)
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND has_table_privilege(r.role, c.oid, w.command)
      ORDER BY 1, 2, 3`,
    [Object.values(TENANT_ROLES)],
  );
  const written = new Set(rows.map((r) => r.table));
  for (const table of ['imports', 'import_counts', 'batches', 'banner_dismissals', 'clients', 'staged_clients'])
    assert.ok(written.has(table), table);
  assert.ok(!rows.some((r) => r.role === TENANT_ROLES.read), 'the read role writes nothing');
  for (const table of ['practices', 'source_tokens', 'users', 'sessions', 'sign_in_attempts', 'schema_migrations'])
    assert.ok(!written.has(table), `${table} is not the writer's`);
  assert.deepEqual(
    rows.filter((r) => !r.secured || !r.checked),
    [],
    'tables a tenant role writes without row-level security or without a policy checking what it writes',
  );
  const { rows: explicit } = await t.db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relname = ANY($1) AND p.polwithcheck IS NULL`,
    [['imports', 'clients', 'batches', 'banner_dismissals', 'record_errors']],
  );
  assert.deepEqual(explicit, [], 'the policies say WITH CHECK');
});
