// Practice isolation in PostgreSQL itself: reads run as brightclient_tenant with the practice set per transaction,
// and row-level security shows only that practice's rows — even to queries with no practice filter at all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { withPractice } from '../../src/db/tenant.ts';
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
