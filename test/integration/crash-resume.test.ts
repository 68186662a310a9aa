// SIGKILL at random moments — of the server during intake, right after a batch's 202 and during every processing
// step, and separately of a standalone worker — then a restart: the same counts and error rows as an uninterrupted run, and no duplicate in
// any central table. `npm run soak` runs this file many times in a row.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { httpSource } from '../helpers/processes.ts';
import { pause, useServerProcesses } from '../helpers/server-processes.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { createSource } from '../helpers/test-app.ts';

const processes = useServerProcesses();
const { server, stop, status } = processes;
const waitCompleted = (importId: string) => processes.waitFor(importId, 'completed');

const practice = generatePractice({ clients: 3000 });
const batches = toBatches(practice.records, 1000); // 3,000 clients with their contacts and addresses (~20,000 records)
// What the generator planted: its failures, and the contacts and addresses that fail with a failing parent.
const expected = practice.expected.counts;
const EXPECTED = (['addresses', 'clients', 'contacts'] as const).map((t) => [
  t,
  expected[t].received,
  expected[t].imported,
  expected[t].failed,
  0,
]);

async function outcome(importId: string) {
  const counts = await processes.db.query<{ record_type: string; received: number; imported: number; failed: number; skipped: number }>(
    `SELECT record_type, received, imported, failed, skipped FROM import_counts WHERE import_id = $1 ORDER BY record_type`,
    [importId],
  );
  const errors = await processes.db.query<Record<string, unknown>>(
    `SELECT record_type, batch_no, pos, field, code, ref, record_name, client_reference, reason FROM record_errors WHERE import_id = $1
      ORDER BY record_type, batch_no, pos, field, code`,
    [importId],
  );
  return { counts: counts.rows, errors: errors.rows };
}

/** Practices' central rows: exactly one per imported record, and the roles of the uninterrupted run. */
let referenceRoles = 0;
async function assertNoDuplicates(practiceName: string): Promise<void> {
  const { rows } = await processes.db.query<{ clients: number; contacts: number; addresses: number; roles: number; keys: number }>(
    `SELECT (SELECT count(*) FROM clients c WHERE c.practice_id = p.id)::int AS clients,
            (SELECT count(*) FROM contacts c WHERE c.practice_id = p.id)::int AS contacts,
            (SELECT count(*) FROM addresses a WHERE a.practice_id = p.id)::int AS addresses,
            (SELECT count(*) FROM client_contacts cc WHERE cc.practice_id = p.id)::int AS roles,
            (SELECT count(*) FROM source_records r WHERE r.practice_id = p.id)::int AS keys
       FROM practices p WHERE p.name = $1`,
    [practiceName],
  );
  const [clients, contacts, addresses] = [expected.clients.imported, expected.contacts.imported, expected.addresses.imported];
  if (practiceName === 'Reference') {
    // Every imported contact has a role; how many more depends on the links the generator drew.
    assert.ok(rows[0]!.roles >= contacts, `roles: ${rows[0]!.roles}`);
    referenceRoles = rows[0]!.roles;
  }
  assert.deepEqual(rows[0], { clients, contacts, addresses, roles: referenceRoles, keys: clients + contacts + addresses }, practiceName);
}

let reference: Awaited<ReturnType<typeof outcome>>;
let processingMs = 500;

test('an uninterrupted run, for reference', async () => {
  const s = await server();
  const { token } = await createSource(processes.db, 'brightmanager', 'Reference');
  const id = await httpSource(processes.port, token).send(batches);
  await waitCompleted(id);
  await stop(s);
  reference = await outcome(id);
  assert.deepEqual(
    reference.counts.map((c) => [c.record_type, c.received, c.imported, c.failed, c.skipped]),
    EXPECTED,
  );
  const took = await processes.db.query<{ ms: number }>(
    `SELECT extract(epoch FROM completed_at - processing_at) * 1000 AS ms FROM imports WHERE id = $1`,
    [id],
  );
  processingMs = Math.max(50, Number(took.rows[0]!.ms));
  await assertNoDuplicates('Reference');
});

test('the server killed during intake: the sender resends what was not acknowledged, same result', async () => {
  let s = await server();
  const { token } = await createSource(processes.db, 'brightmanager', 'Killed during intake');
  const api = httpSource(processes.port, token);
  const { id } = (await api.call<ImportView>('POST', '/v1/imports', {})).body;
  const killAt = new Set([2 + Math.floor(Math.random() * 4), 8 + Math.floor(Math.random() * 5)]);
  for (let n = 1; n <= batches.length; n++) {
    const upload = api.call('PUT', `/v1/imports/${id}/batches/${n}`, batches[n - 1]).catch(() => null);
    if (killAt.has(n)) {
      await pause(Math.floor(Math.random() * 40)); // mid-request, or just before or after its commit
      await stop(s);
      await upload;
      s = await server();
    }
    // What a sender does: send until acknowledged (a replay of stored bytes answers 200 with the receipt).
    let answer = await upload;
    while (!answer || (answer.status !== 202 && answer.status !== 200))
      answer = await api.call('PUT', `/v1/imports/${id}/batches/${n}`, batches[n - 1]).catch(() => null);
  }
  assert.equal((await api.call('POST', `/v1/imports/${id}/complete`, { batchCount: batches.length })).status, 202);
  await waitCompleted(id);
  await stop(s);
  assert.deepEqual(await outcome(id), reference);
  await assertNoDuplicates('Killed during intake');
});

test('the server killed right after a 202: the batch is held, processing stages it, same result', async () => {
  let s = await server();
  const { token } = await createSource(processes.db, 'brightmanager', 'Killed after a 202');
  const api = httpSource(processes.port, token);
  const { id } = (await api.call<ImportView>('POST', '/v1/imports', {})).body;
  const killAfter = new Set([1, 2 + Math.floor(Math.random() * 8), batches.length]);
  let killedWhileHeld = 0;
  for (let n = 1; n <= batches.length; n++) {
    assert.equal((await api.call('PUT', `/v1/imports/${id}/batches/${n}`, batches[n - 1])).status, 202);
    if (!killAfter.has(n)) continue;
    await stop(s);
    const { rows } = await processes.db.query<{ held: boolean }>(
      'SELECT staged_at IS NULL AS held FROM batches WHERE import_id = $1 AND batch_no = $2',
      [id, n],
    );
    if (rows[0]!.held) killedWhileHeld++;
    s = await server();
  }
  // Else this test did not kill between the 202 and the staging, and could not fail.
  assert.ok(killedWhileHeld > 0, 'at least one batch was still held (not staged) when the server was killed');
  assert.equal((await api.call('POST', `/v1/imports/${id}/complete`, { batchCount: batches.length })).status, 202);
  await waitCompleted(id);
  await stop(s);
  assert.deepEqual(await outcome(id), reference);
  await assertNoDuplicates('Killed after a 202');
  const { rows } = await processes.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM batches WHERE import_id = $1 AND body IS NOT NULL',
    [id],
  );
  assert.equal(rows[0]!.n, 0, 'no bytes are held once the batches are staged');
});

for (const target of ['server', 'worker'] as const) {
  test(`the ${target} killed at random moments of processing, again and again: same result`, async () => {
    // Killing the worker: the API runs without workers of its own and a standalone worker does the processing.
    const api = await server(target === 'worker' ? { BRIGHTCLIENT_WORKERS: '0' } : {});
    const spawnProcessor = async () => {
      if (target === 'server') return server();
      return processes.worker({ BRIGHTCLIENT_WORKERS: '1' });
    };
    let processor: ChildProcess = target === 'server' ? api : await spawnProcessor();
    const name = `Killed ${target}`;
    const { token } = await createSource(processes.db, 'brightmanager', name);
    const id = await httpSource(processes.port, token).send(batches);
    const phases: string[] = [];
    for (let round = 0; round < 4 && (await status(id)).status !== 'completed'; round++) {
      while ((await status(id)).status !== 'completed' && !(await processes.working())) await pause(20);
      await pause(Math.floor(Math.random() * processingMs));
      phases.push((await status(id)).phase);
      await stop(processor);
      processor = await spawnProcessor();
    }
    await waitCompleted(id);
    process.stdout.write(`# ${target}: processing takes ${Math.round(processingMs)} ms; killed in phases ${phases.join(', ')}\n`);
    await stop(processor);
    if (target === 'worker') await stop(api);
    assert.deepEqual(await outcome(id), reference);
    await assertNoDuplicates(name);
    const steps = await processes.db.query(
      `SELECT step, batch_no, count(*)::int AS n FROM import_log WHERE import_id = $1 GROUP BY 1, 2 HAVING count(*) > 1`,
      [id],
    );
    assert.deepEqual(steps.rows, [], 'no step committed twice');
  });
}
