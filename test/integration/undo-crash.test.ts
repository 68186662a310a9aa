// SIGKILL of the server in the middle of an undo, again and again, then a restart: the undo resumes (the stalled
// sweep enqueues it again) and ends `undone` with the same end state as an uninterrupted one — nothing of the
// practice left in the central tables, no key, no plan — and the same export sent again imports with the same counts.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { createPool, type Db } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { freePort, httpSource, kill, startServer } from '../helpers/processes.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { createSource } from '../helpers/test-app.ts';

let database: TestDatabase;
let db: Db;
let port: number;
const children = new Set<ChildProcess>();
before(async () => {
  database = await createTestDatabase();
  db = createPool(database.url, 4);
  port = await freePort();
});
after(async () => {
  for (const child of children) await kill(child);
  await db?.end();
  await database?.drop();
});

const batches = toBatches(generatePractice({ clients: 3000 }).records, 1000); // ~20,000 records
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function server(): Promise<ChildProcess> {
  const child = await startServer(database.url, port);
  children.add(child);
  return child;
}
async function stop(child: ChildProcess): Promise<void> {
  await kill(child);
  children.delete(child);
}

const statusOf = async (id: string) =>
  (await db.query<{ status: string; progress: number }>('SELECT status, progress FROM imports WHERE id = $1', [id])).rows[0]!;

async function waitFor(id: string, status: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await statusOf(id)).status !== status) {
    assert.ok(Date.now() < deadline, `import ${id} did not become ${status}`);
    await pause(50);
  }
}

/** A worker holds the practice's advisory lock for exactly as long as it processes or undoes an import. */
async function workingNow(): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return (rowCount ?? 0) > 0;
}

async function counts(id: string) {
  const { rows } = await db.query<Record<string, number | string>>(
    'SELECT record_type, received, imported, failed, skipped FROM import_counts WHERE import_id = $1 ORDER BY 1',
    [id],
  );
  return rows;
}

async function practiceRows(practiceId: string) {
  const { rows } = await db.query<Record<string, number>>(
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

const NOTHING = { clients: 0, contacts: 0, addresses: 0, roles: 0, keys: 0, plan: 0 };

let undoMs = 500;
let reference: { counts: unknown[]; rows: Record<string, number> };

test('an uninterrupted undo, for reference: nothing left, and the export sent again imports the same', async () => {
  const s = await server();
  const { practiceId, token } = await createSource(db, 'brightmanager', 'Reference');
  const api = httpSource(port, token);
  const id = await api.send(batches);
  await waitFor(id, 'completed');
  reference = { counts: await counts(id), rows: await practiceRows(practiceId) };
  assert.equal((await api.call<ImportView>('POST', `/v1/imports/${id}/undo`, {})).status, 202);
  await waitFor(id, 'undone');
  const took = await db.query<{ ms: number }>(
    'SELECT extract(epoch FROM undone_at - undo_requested_at) * 1000 AS ms FROM imports WHERE id = $1',
    [id],
  );
  undoMs = Math.max(50, Number(took.rows[0]!.ms));
  assert.deepEqual(await practiceRows(practiceId), NOTHING);
  const again = await api.send(batches);
  await waitFor(again, 'completed');
  assert.deepEqual(await counts(again), reference.counts);
  assert.deepEqual(await practiceRows(practiceId), reference.rows);
  await stop(s);
});

test('the server killed at random moments of an undo, again and again: the same end state', async () => {
  let s = await server();
  const { practiceId, token } = await createSource(db, 'brightmanager', 'Killed during undo');
  const api = httpSource(port, token);
  const id = await api.send(batches);
  await waitFor(id, 'completed');
  assert.equal((await api.call<ImportView>('POST', `/v1/imports/${id}/undo`, {})).status, 202);
  const killedAt: string[] = [];
  for (let round = 0; round < 4 && (await statusOf(id)).status !== 'undone'; round++) {
    while ((await statusOf(id)).status !== 'undone' && !(await workingNow())) await pause(20);
    await pause(Math.floor((Math.random() * undoMs) / 2)); // within the first half: mostly mid-undo
    const now = await statusOf(id);
    killedAt.push(`${now.status} ${Math.round(now.progress * 100)}%`);
    await stop(s);
    s = await server();
  }
  await waitFor(id, 'undone');
  process.stdout.write(`# an undo takes ${Math.round(undoMs)} ms; killed at ${killedAt.join(', ')}\n`);
  assert.ok(
    killedAt.some((k) => k.startsWith('undoing')),
    'killed at least once mid-undo',
  );
  assert.deepEqual(await practiceRows(practiceId), NOTHING);
  const again = await api.send(batches);
  await waitFor(again, 'completed');
  assert.deepEqual(await counts(again), reference.counts);
  assert.deepEqual(await practiceRows(practiceId), reference.rows);
  await stop(s);
});
