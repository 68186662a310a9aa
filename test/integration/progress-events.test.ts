// Live progress: GET /v1/imports/{id}/events streams `progress` events as the import moves and a final `done`;
// one poller per import serves every listener.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Db } from '../../src/db/pool.ts';
import { ProgressHub } from '../../src/reports/progress-hub.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';

let t: TestApp;
let base: string;
before(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
after(async () => {
  await t?.close();
});

interface ServerEvent {
  event: string;
  data: ImportView;
}

/** Reads a text/event-stream until the server ends it. */
async function readEvents(url: string, token: string): Promise<ServerEvent[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const text = await res.text();
  return text
    .split('\n\n')
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      return event && data ? { event, data: JSON.parse(data) as ImportView } : null;
    })
    .filter((e): e is ServerEvent => e !== null);
}

test('events: progress while the import runs, then done with the completed import', async () => {
  const { token } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  const practice = generatePractice({ clients: 2000 });
  const batches = toBatches(practice.records, 1000);
  for (let n = 1; n <= batches.length; n++) assert.equal((await c.putBatch(id, n, batches[n - 1]!)).statusCode, 202);

  const events = readEvents(`${base}/v1/imports/${id}/events`, token);
  await new Promise((r) => setTimeout(r, 100)); // the stream's first event shows the import still receiving
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  const received = await events;

  const progress = received.filter((e) => e.event === 'progress');
  assert.ok(progress.length >= 2, `progress events: ${progress.length}`);
  assert.equal(progress[0]!.data.status, 'receiving');
  const values = progress.map((e) => e.data.progress);
  assert.deepEqual(
    [...values].sort((a, b) => a - b),
    values,
    'progress never goes back',
  );
  const last = received.at(-1)!;
  assert.equal(last.event, 'done');
  assert.equal(last.data.status, 'completed');
  assert.equal(last.data.progress, 1);
  assert.equal(last.data.counts.clients.received, practice.expected.counts.clients.received);

  // Listening to a completed import: its state at once, then done.
  const again = await readEvents(`${base}/v1/imports/${id}/events`, token);
  assert.deepEqual(
    again.map((e) => e.event),
    ['progress', 'done'],
  );
});

test('one poller per import, however many listeners', async () => {
  const { token } = await createSource(t.db, 'brightbooks');
  const { id } = json<ImportView>(await sourceClient(t.app, token).startImport());
  let queries = 0; // each poll is one practice-scoped read: one connection checkout
  const counting = { connect: () => (queries++, t.db.connect()) } as unknown as Db;
  const hub = new ProgressHub(counting);
  const { rows } = await t.db.query<{ practice_id: string }>('SELECT practice_id FROM imports WHERE id = $1', [id]);
  const scope = { practiceId: rows[0]!.practice_id, source: null };
  const seen: number[] = [];
  const unsubscribes = Array.from({ length: 50 }, (_, i) => hub.subscribe(scope, id, () => seen.push(i)));
  await new Promise((r) => setTimeout(r, 1600));
  for (const unsubscribe of unsubscribes) unsubscribe();
  hub.close();
  assert.equal(new Set(seen).size, 50, 'every listener got the import');
  assert.ok(queries <= 5, `${queries} queries in 1.6 s for 50 listeners`);
});
