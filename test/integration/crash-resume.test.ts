// Killing the server with SIGKILL at random moments of processing, then starting it again, ends with the same
// counts and error rows as an uninterrupted run, and no duplicate in any central table.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createPool, type Db } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createSource } from '../helpers/test-app.ts';
import { syntheticExport, toBatches } from '../helpers/synthetic.ts';

const root = path.resolve(import.meta.dirname, '../..');
let database: TestDatabase;
let db: Db;
let port: number;

before(async () => {
  database = await createTestDatabase();
  db = createPool(database.url, 4);
  port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
});
after(async () => {
  await db?.end();
  await database?.drop();
});

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'src/main.ts')], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'error', BRIGHTCLIENT_HEARTBEAT_SECONDS: '1', BRIGHTCLIENT_ADMIN_TOKEN: 'crash-test-admin-token-0123456789' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function api(token: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function sendImport(token: string, batches: object[]): Promise<string> {
  const id = (await api(token, 'POST', '/v1/imports', {})).body.id as string;
  for (let n = 1; n <= batches.length; n++) assert.equal((await api(token, 'PUT', `/v1/imports/${id}/batches/${n}`, batches[n - 1])).status, 202);
  assert.equal((await api(token, 'POST', `/v1/imports/${id}/complete`, { batchCount: batches.length })).status, 202);
  return id;
}

async function outcome(importId: string) {
  const counts = await db.query(`SELECT record_type, received, imported, failed, skipped FROM import_counts WHERE import_id = $1 ORDER BY record_type`, [importId]);
  const errors = await db.query(
    `SELECT record_type, batch_no, pos, field, code, ref, record_name, client_reference, reason FROM record_errors WHERE import_id = $1
      ORDER BY record_type, batch_no, pos, field`,
    [importId],
  );
  return { counts: counts.rows, errors: errors.rows };
}

async function processingNow(): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
  return (rowCount ?? 0) > 0;
}

async function status(importId: string): Promise<{ status: string; phase: string }> {
  return (await db.query('SELECT status, phase FROM imports WHERE id = $1', [importId])).rows[0];
}

test('SIGKILL during processing, restart, repeat: same counts and error rows as an uninterrupted run, no duplicates', async () => {
  const batches = toBatches(syntheticExport(3000), 1000); // 3,000 clients, 6,000 contacts, 6,000 addresses in 15 batches
  const reference = await createSource(db, 'brightmanager', 'Reference Practice');
  const victim = await createSource(db, 'brightmanager', 'Crashed Practice');

  let server = await startServer();
  const referenceId = await sendImport(reference.token, batches);
  while ((await status(referenceId)).status !== 'completed') await new Promise((r) => setTimeout(r, 50));

  const took = await db.query<{ ms: number }>(`SELECT extract(epoch FROM completed_at - processing_at) * 1000 AS ms FROM imports WHERE id = $1`, [referenceId]);
  const processingMs = Math.max(50, Number(took.rows[0]!.ms));

  const victimId = await sendImport(victim.token, batches);
  const phasesKilledIn: string[] = [];
  for (let round = 0; round < 4 && (await status(victimId)).status !== 'completed'; round++) {
    // Kill while a worker is really at it: it holds its advisory lock for as long as it processes.
    while ((await status(victimId)).status !== 'completed' && !(await processingNow())) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * processingMs)));
    phasesKilledIn.push((await status(victimId)).phase);
    await kill(server);
    server = await startServer();
  }
  const deadline = Date.now() + 60_000;
  while ((await status(victimId)).status !== 'completed') {
    assert.ok(Date.now() < deadline, `import did not resume; killed in ${phasesKilledIn.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await kill(server);
  process.stdout.write(`# processing takes ${Math.round(processingMs)} ms; killed the server ${phasesKilledIn.length} times, in phases: ${phasesKilledIn.join(', ')}\n`);

  const expected = await outcome(referenceId);
  const actual = await outcome(victimId);
  assert.deepEqual(actual.counts, expected.counts);
  assert.deepEqual(actual.errors, expected.errors);
  assert.deepEqual(
    expected.counts.map((c) => [c.record_type, c.received, c.imported, c.failed, c.skipped]),
    [
      // 150 bad postcodes + 120 owned by a failed client or its contact, 30 of them both
      ['addresses', 6000, 5760, 240, 0],
      ['clients', 3000, 2940, 60, 0],
      ['contacts', 6000, 5880, 120, 0],
    ],
  );
  // Exactly one central row per imported record, for each practice.
  const central = await db.query(
    `SELECT p.name,
            (SELECT count(*) FROM clients c WHERE c.practice_id = p.id)::int AS clients,
            (SELECT count(*) FROM contacts c WHERE c.practice_id = p.id)::int AS contacts,
            (SELECT count(*) FROM addresses a WHERE a.practice_id = p.id)::int AS addresses,
            (SELECT count(*) FROM client_contacts cc WHERE cc.practice_id = p.id)::int AS roles,
            (SELECT count(*) FROM source_records r WHERE r.practice_id = p.id)::int AS keys
       FROM practices p WHERE p.name IN ('Reference Practice', 'Crashed Practice') ORDER BY p.name`,
  );
  for (const row of central.rows) {
    assert.deepEqual({ ...row, name: undefined }, { name: undefined, clients: 2940, contacts: 5880, addresses: 5760, roles: 5880, keys: 2940 + 5880 + 5760 }, row.name);
  }
});
