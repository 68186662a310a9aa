// `node scripts/load.ts [--practices 10] [--records 50000]`: imports for many practices at once against one server
// (embedded PostgreSQL under data/load, or a fresh database on DATABASE_URL's server), with the sender SDK. Reports
// whether every import's counts are exact and the p95 of batch acknowledgements under that load.
import { parseArgs } from 'node:util';
import { createApiClient, sendExport, type ImportView, type SourceRecord } from '../packages/sender/src/index.ts';
import { benchRecords } from '../bench/data.ts';
import { startRunServer } from '../bench/server.ts';

const { values } = parseArgs({ options: { practices: { type: 'string', default: '10' }, records: { type: 'string', default: '50000' } } });
const practices = Number(values.practices);
const records = Number(values.records);
const say = (line: string) => process.stdout.write(`${line}\n`);
const run = await startRunServer('load');
const server = run.url;

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
    const token = await run.practiceWithToken(`Load Practice ${i + 1}`);
    const client = createApiClient({ server, token });
    async function* source(): AsyncGenerator<SourceRecord> {
      for (const r of benchRecords(records, i + 1)) yield r;
    }
    // Batches of ~2 MB: ten practices at once keep many requests in flight, as a busy morning would.
    const sent = await sendExport(client, source(), { stateFile: null, maxBatchBytes: 2 * 1024 * 1024 });
    let view: ImportView = sent.view;
    while (view.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 250));
      view = (await (
        await realFetch(`${server}/v1/imports/${sent.importId}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as ImportView;
    }
    return view;
  }),
);
const elapsed = (performance.now() - started) / 1000;
await run.stop();

// Every practice sent the same shape of data, so each must end with the same exact counts.
const expected = JSON.stringify(results[0]!.counts);
const exact = results.every(
  (v) => JSON.stringify(v.counts) === expected && Object.values(v.counts).every((c) => c.received === c.imported + c.failed + c.skipped),
);
const sorted = acks.sort((a, b) => a - b);
const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
say(`all ${practices} imports completed in ${elapsed.toFixed(1)} s; counts ${exact ? 'exact and equal' : 'NOT exact'}: ${expected}`);
say(
  `batch acknowledgements under load: ${sorted.length}, median ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
);
process.exitCode = exact ? 0 : 1;
