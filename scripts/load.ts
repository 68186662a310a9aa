// `node scripts/load.ts [--practices 10] [--records 50000]`: imports for many practices at once against one server
// (embedded PostgreSQL under data/load, or a fresh database on DATABASE_URL's server), with the sender SDK. Reports
// whether every import's counts are exact and the p95 of batch acknowledgements under that load.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApiClient, sendExport, type ImportView, type SourceRecord } from '../sender/index.ts';
import { benchRecords } from '../bench/data.ts';

const { values } = parseArgs({ options: { practices: { type: 'string', default: '10' }, records: { type: 'string', default: '50000' } } });
const practices = Number(values.practices);
const records = Number(values.records);
const root = path.resolve(import.meta.dirname, '..');
const say = (line: string) => process.stdout.write(`${line}\n`);
const adminToken = `load-admin-${randomUUID()}`;
const port = 4900 + Math.floor(Math.random() * 1000);
const server = `http://127.0.0.1:${port}`;

const external = process.env.DATABASE_URL;
const loadDb = `brightclient_load_${process.pid}`;
let databaseUrl: string | undefined;
if (external) {
  const admin = new pg.Client({ connectionString: external });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${loadDb}`);
  await admin.end();
  const u = new URL(external);
  u.pathname = `/${loadDb}`;
  databaseUrl = u.toString();
}
const dataDir = path.join(root, 'data/load');
await fs.rm(dataDir, { recursive: true, force: true });
const child = spawn(process.execPath, [path.join(root, 'src/main.ts')], {
  env: { ...process.env, PORT: String(port), BRIGHTCLIENT_DATA_DIR: dataDir, BRIGHTCLIENT_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (let i = 0; !(await fetch(`${server}/healthz`).then((r) => r.ok, () => false)); i++) {
  if (i > 600 || child.exitCode !== null) throw new Error('the server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

async function admin<T>(pathname: string, body: unknown): Promise<T> {
  const res = await fetch(`${server}${pathname}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${pathname}: ${res.status}`);
  return (await res.json()) as T;
}

// Batch acknowledgements of every practice's uploads, timed around the SDK's fetch calls.
const acks: number[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  if (init?.method !== 'PUT' || !String(input).includes('/batches/')) return realFetch(input, init);
  const started = performance.now();
  const res = await realFetch(input, init);
  if (res.status === 202 || res.status === 200) acks.push(performance.now() - started);
  return res;
}) as typeof fetch;

say(`${practices} practices × ${records.toLocaleString('en-GB')} records at once against ${server} …`);
const started = performance.now();
const results = await Promise.all(
  Array.from({ length: practices }, async (_, i) => {
    const practice = await admin<{ id: string }>('/admin/practices', { name: `Load Practice ${i + 1}` });
    const { token } = await admin<{ token: string }>(`/admin/practices/${practice.id}/tokens`, { source: 'brightmanager' });
    const client = createApiClient({ server, token });
    async function* source(): AsyncGenerator<SourceRecord> {
      for (const r of benchRecords(records, i + 1)) yield r;
    }
    // Batches of ~2 MB: ten practices at once keep many requests in flight, as a busy morning would.
    const sent = await sendExport(client, source(), { stateFile: null, maxBatchBytes: 2 * 1024 * 1024 });
    let view: ImportView = sent.view;
    while (view.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 250));
      view = (await (await realFetch(`${server}/v1/imports/${sent.importId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as ImportView;
    }
    return view;
  }),
);
const elapsed = (performance.now() - started) / 1000;
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
if (external) {
  const admin2 = new pg.Client({ connectionString: external });
  await admin2.connect();
  await admin2.query(`DROP DATABASE IF EXISTS ${loadDb} WITH (FORCE)`);
  await admin2.end();
}

// Every practice sent the same shape of data, so each must end with the same exact counts.
const expected = JSON.stringify(results[0]!.counts);
const exact = results.every((v) => JSON.stringify(v.counts) === expected && Object.values(v.counts).every((c) => c.received === c.imported + c.failed + c.skipped));
const sorted = acks.sort((a, b) => a - b);
const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
say(`all ${practices} imports completed in ${elapsed.toFixed(1)} s; counts ${exact ? 'exact and equal' : 'NOT exact'}: ${expected}`);
say(`batch acknowledgements under load: ${sorted.length}, median ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`);
process.exitCode = exact ? 0 : 1;
