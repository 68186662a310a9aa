// SIGKILL of the server in the middle of an undo, again and again, then a restart: the undo resumes (the stalled
// sweep enqueues it again) and ends `undone` with the same end state as an uninterrupted one — nothing of the
// practice left in the central tables, no key, no plan — and the same export sent again imports with the same counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { httpSource } from '../helpers/processes.ts';
import { pause, useServerProcesses } from '../helpers/server-processes.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { createSource } from '../helpers/test-app.ts';

const processes = useServerProcesses();
const { server, stop, status: statusOf, waitFor } = processes;

const batches = toBatches(generatePractice({ clients: 3000 }).records, 1000); // ~20,000 records

async function counts(id: string) {
  const { rows } = await processes.db.query<Record<string, number | string>>(
    'SELECT record_type, received, imported, failed, skipped FROM import_counts WHERE import_id = $1 ORDER BY 1',
    [id],
  );
  return rows;
}

async function practiceRows(practiceId: string) {
  const { rows } = await processes.db.query<Record<string, number>>(
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
  const { practiceId, token } = await createSource(processes.db, 'brightmanager', 'Reference');
  const api = httpSource(processes.port, token);
  const id = await api.send(batches);
  await waitFor(id, 'completed');
  reference = { counts: await counts(id), rows: await practiceRows(practiceId) };
  assert.equal((await api.call<ImportView>('POST', `/v1/imports/${id}/undo`, {})).status, 202);
  await waitFor(id, 'undone');
  const took = await processes.db.query<{ ms: number }>(
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
  const { practiceId, token } = await createSource(processes.db, 'brightmanager', 'Killed during undo');
  const api = httpSource(processes.port, token);
  const killedAt: string[] = [];
  // A kill can land after the undo has ended (a fast machine, a late scheduler): then the export is imported and
  // undone again, a few times at most, until one kill lands mid-undo. Every undo must end with nothing left.
  for (let attempt = 0; attempt < 5 && !killedAt.some((k) => k.startsWith('undoing')); attempt++) {
    const id = await api.send(batches);
    await waitFor(id, 'completed');
    assert.equal((await api.call<ImportView>('POST', `/v1/imports/${id}/undo`, {})).status, 202);
    for (let round = 0; round < 4 && (await statusOf(id)).status !== 'undone'; round++) {
      while ((await statusOf(id)).status !== 'undone' && !(await processes.working())) await pause(20);
      await pause(Math.floor((Math.random() * undoMs) / 2)); // within the first half: mostly mid-undo
      const now = await statusOf(id);
      killedAt.push(`${now.status} ${Math.round(now.progress * 100)}%`);
      await stop(s);
      s = await server();
    }
    await waitFor(id, 'undone');
    assert.deepEqual(await practiceRows(practiceId), NOTHING);
  }
  process.stdout.write(`# an undo takes ${Math.round(undoMs)} ms; killed at ${killedAt.join(', ')}\n`);
  assert.ok(
    killedAt.some((k) => k.startsWith('undoing')),
    'killed at least once mid-undo',
  );
  const again = await api.send(batches);
  await waitFor(again, 'completed');
  assert.deepEqual(await counts(again), reference.counts);
  assert.deepEqual(await practiceRows(practiceId), reference.rows);
  await stop(s);
});
