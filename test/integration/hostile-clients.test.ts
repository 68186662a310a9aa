// Clients that misbehave on the wire, over real sockets: gone right after sending a batch, trickling a body, going
// silent mid-body, closing an event stream before it starts. None of them may shut intake for anyone else, or
// leave work running behind them.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { ADMIN_TOKEN, createSource, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';

const INTAKE_CONCURRENCY = 2;
const BODY_IDLE_MS = 1500;

let t: TestApp;
let app: FastifyInstance;
let port: number;
before(async () => {
  t = await startTestApp({ workers: 0 });
  app = await buildApp({
    db: t.db,
    boss: t.boss,
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    ready: () => true,
    intakeConcurrency: INTAKE_CONCURRENCY,
    bodyIdleMs: BODY_IDLE_MS,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as net.AddressInfo).port;
});
after(async () => {
  await app?.close();
  await t?.close();
});

const batch = (ref: string) =>
  JSON.stringify({ type: 'clients', records: [{ ref, clientReference: ref, name: `${ref} Ltd`, clientType: 'limited_company' }] });

function head(method: string, path: string, token: string, contentLength?: number): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${token}`];
  if (contentLength !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${contentLength}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

async function connect(): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

const write = (socket: net.Socket, data: string) =>
  new Promise<void>((resolve, reject) => socket.write(data, (e) => (e ? reject(e) : resolve())));

/** Everything the server sends until it closes the connection (or `ms` pass). */
function answerOf(socket: net.Socket, ms = 10_000): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(text), ms);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on('error', () => {});
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

async function putBatch(token: string, id: string, n: number, body: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/imports/${id}/batches/${n}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}

async function newImport(token: string): Promise<string> {
  return json<ImportView>(await sourceClient(app, token).startImport()).id;
}

test('clients gone right after sending their whole batch never keep an intake place', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Dropping Practice');
  const id = await newImport(token);
  for (let n = 1; n <= INTAKE_CONCURRENCY * 3; n++) {
    const body = batch(`DROP-${n}`);
    const socket = await connect();
    await write(socket, head('PUT', `/v1/imports/${id}/batches/${n}`, token, Buffer.byteLength(body)) + body);
    socket.destroy();
  }
  // The dropped batches may still be being prepared for a moment; then intake is open again, for good.
  const other = await createSource(t.db, 'brightmanager', 'Bystander Practice');
  const otherId = await newImport(other.token);
  let status = 0;
  for (let attempt = 0; attempt < 50 && status !== 202; attempt++) {
    status = await putBatch(other.token, otherId, 1, batch('OK-1'));
    if (status !== 202) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 202, 'intake stays open after clients dropped their connections');
  for (let n = 2; n <= INTAKE_CONCURRENCY + 2; n++) assert.equal(await putBatch(other.token, otherId, n, batch(`OK-${n}`)), 202);
});

test('slow uploads of one practice never shut intake for another; a silent upload is answered 408', async () => {
  const slow = await createSource(t.db, 'brightmanager', 'Trickling Practice');
  const slowId = await newImport(slow.token);
  const body = batch('SLOW-1');
  const tricklers = await Promise.all(
    Array.from({ length: INTAKE_CONCURRENCY }, async (_, i) => {
      const socket = await connect();
      await write(socket, head('PUT', `/v1/imports/${slowId}/batches/${i + 1}`, slow.token, body.length));
      return socket;
    }),
  );
  // A byte at a time, well inside the idle deadline: these uploads are alive, only slow.
  let sent = 0;
  const trickle = setInterval(() => {
    if (sent < body.length - 1) for (const socket of tricklers) socket.write(body[sent]!);
    sent++;
  }, BODY_IDLE_MS / 5);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const other = await createSource(t.db, 'brightmanager', 'Punctual Practice');
    const otherId = await newImport(other.token);
    for (let n = 1; n <= INTAKE_CONCURRENCY + 1; n++) {
      assert.equal(await putBatch(other.token, otherId, n, batch(`P-${n}`)), 202, 'another practice is not shut out');
    }
    // The trickling practice has used its own share of places: its next upload is refused at once.
    assert.equal(await putBatch(slow.token, slowId, 9, batch('SLOW-9')), 503);
  } finally {
    clearInterval(trickle);
  }

  // The tricklers now go silent mid-body: each is answered 408 once the deadline passes, and the places return.
  const started = Date.now();
  const answers = await Promise.all(tricklers.map((socket) => answerOf(socket)));
  for (const answer of answers) {
    assert.equal(statusOf(answer), 408, answer.slice(0, 300));
    assert.match(answer, /application\/problem\+json/);
  }
  assert.ok(Date.now() - started < BODY_IDLE_MS + 5000, `answered after ${Date.now() - started} ms`);
  assert.equal(await putBatch(slow.token, slowId, 9, batch('SLOW-9')), 202);
});

test('event streams closed before they start leave no poller behind', async () => {
  const { token } = await createSource(t.db, 'brightmanager', 'Impatient Practice');
  const ids = await Promise.all(Array.from({ length: 40 }, () => newImport(token)));
  // Commits a second in this test's database over 3 s: the workers and pg-boss make some whatever happens.
  const commits = async () =>
    (await t.db.query<{ n: number }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n;
  const commitRate = async () => {
    const before = await commits();
    await new Promise((r) => setTimeout(r, 3000));
    return ((await commits()) - before) / 3;
  };
  const quiet = await commitRate();
  for (const id of ids) {
    const socket = await connect();
    await write(socket, head('GET', `/v1/imports/${id}/events`, token));
    socket.destroy();
  }
  await new Promise((r) => setTimeout(r, 1500));
  // Leaked pollers would read each import twice a second, one transaction each, with nobody listening: ~80 more.
  const after = await commitRate();
  assert.ok(after - quiet < 40, `${after.toFixed(1)} commits a second after, ${quiet.toFixed(1)} before (40 leaked pollers add ~80)`);
});
