// `node scripts/load.ts [--practices 10] [--records 50000]`: imports for many practices at once against one server
// (embedded PostgreSQL under data/load, or a fresh database on DATABASE_URL's server), with the sender SDK. Reports
// whether every import's counts are exact (as the generator planted them) and the p95 of batch acknowledgements
// under that load.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApiClient, sendExport, type ImportView } from '../packages/sender/src/index.ts';
import { startRunServer } from '../bench/server.ts';
import { findExportFiles, readExport } from '../packages/sender/src/cli/export-reader.ts';
import { writeGeneratedExport } from '../packages/sender/src/cli/generate/write-export.ts';
import { RECORD_TYPES } from '../src/contract/records.ts';
import { timeBatchAcks } from '../bench/batch-acks.ts';

const { values } = parseArgs({ options: { practices: { type: 'string', default: '10' }, records: { type: 'string', default: '50000' } } });
const practices = Number(values.practices);
const records = Number(values.records);
const say = (line: string) => process.stdout.write(`${line}\n`);
// One generated export, written before the clock starts, sent by every practice (at least 3 records a client).
const exportDir = path.resolve(import.meta.dirname, '../data/load-export');
const generated = await writeGeneratedExport(exportDir, { clients: Math.ceil(records / 3), maxRecords: records, invalidRate: 0.01 });
const run = await startRunServer('load');
const server = run.url;

const acks = timeBatchAcks();

say(`${practices} practices × ${records.toLocaleString('en-GB')} records at once against ${server} …`);
const started = performance.now();
const results = await Promise.all(
  Array.from({ length: practices }, async (_, i) => {
    const { token } = await run.practiceWithToken(`Load Practice ${i + 1}`);
    const client = createApiClient({ server, token });
    // Batches of ~2 MB: ten practices at once keep many requests in flight, as a busy morning would.
    const sent = await sendExport(client, readExport(await findExportFiles(exportDir)), {
      stateFile: null,
      maxBatchBytes: 2 * 1024 * 1024,
    });
    let view: ImportView = sent.view;
    while (view.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 250));
      view = (await (
        await fetch(`${server}/v1/imports/${sent.importId}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as ImportView;
    }
    return view;
  }),
);
const elapsed = (performance.now() - started) / 1000;
await run.stop();

// Every practice sent the same export, so each must end with the counts the generator planted.
const expected = JSON.stringify(
  RECORD_TYPES.map((t) => [generated.counts[t].received, generated.counts[t].imported, generated.counts[t].failed, 0]),
);
const exact = results.every(
  (v) =>
    JSON.stringify(RECORD_TYPES.map((t) => [v.counts[t].received, v.counts[t].imported, v.counts[t].failed, v.counts[t].skipped])) ===
    expected,
);
const sorted = acks.sort((a, b) => a - b);
const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
say(
  `all ${practices} imports completed in ${elapsed.toFixed(1)} s; counts ${exact ? 'exact' : 'NOT exact'} (received, imported, failed, skipped by type): ${expected}`,
);
say(
  `batch acknowledgements under load: ${sorted.length}, median ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
);
process.exitCode = exact ? 0 : 1;
