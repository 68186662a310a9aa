// `npm run bench -- --records 1000000`: the product end to end on a generated practice export (`brightclient
// generate`'s, written before the clock starts), against raw COPY of the same rows in the same run. Starts the server (embedded PostgreSQL under data/bench, or a fresh database on DATABASE_URL's
// server), sends with the sender SDK (in a process of its own, bench/send-export.ts), and prints one table; the figures go to bench/results/<date>-<records>.json.
// With --second-source (the default; --no-second-source without), another product's overlapping export of the
// same practice (`generate --overlap-with`) is imported first, untimed, so the measured import runs with matching
// (SPEC §9) as a practice with two products has it. Performance is measured here, never by timed tests.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import type { ImportView } from '../packages/sender/src/index.ts';
import { copyBaseline, perRowBaseline } from './baselines.ts';
import { cpuBetween, reapedChildrenCpu, serverCpu, type ServerCpu } from './cpu-time.ts';
import { importSecondSource } from './second-source.ts';
import { startRunServer } from './server.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    gzip: { type: 'boolean', default: false },
    sample: { type: 'string', default: '20000' },
    // A CPU profile of the server into this folder (node --cpu-prof), written when it stops.
    'cpu-prof': { type: 'string' },
    'second-source': { type: 'boolean', default: true },
    overlap: { type: 'string', default: '0.6' },
    // Uploads the sender keeps in flight (the SDK's default is 2): 1 shows what an ack costs when none waits for another.
    uploads: { type: 'string', default: '2' },
  },
  allowNegative: true,
});
const total = Number(values.records);
if (!Number.isInteger(total) || total < 100) throw new Error('--records takes a whole number ≥ 100');
const seed = Number(values.seed);
const uploads = Number(values.uploads);
if (!Number.isInteger(uploads) || uploads < 1 || uploads > 8) throw new Error('--uploads takes a whole number from 1 to 8');
const say = (line: string) => process.stdout.write(`${line}\n`);

// Written first, so the figures are the product's and not the generator's, by a process of its own (write-exports.ts).
const exportDir = path.join(root, 'data/bench-export');
say(`Generating ${total.toLocaleString('en-GB')} records into ${path.relative(root, exportDir)} …`);
const secondDir = path.join(root, 'data/bench-export-second');
const writer = ['--records', String(total), '--seed', String(seed), '--overlap', values.overlap, '--out', exportDir];
if (values['second-source']) writer.push('--second-out', secondDir);
const { stdout: written } = await promisify(execFile)(process.execPath, [path.join(import.meta.dirname, 'write-exports.ts'), ...writer]);
const second = JSON.parse(written) as { clients: number; contacts: number; addresses: number } | null;
if (second)
  say(
    `  and BrightBooks's overlapping export: ${Object.values(second)
      .reduce((a, b) => a + b, 0)
      .toLocaleString('en-GB')} records`,
  );

say(`Starting the server (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}) …`);
const run = await startRunServer('bench', values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : []);
const { child, url: server } = run;

// Peak RSS of the server process, sampled, overall and by phase (which part of the run holds the most).
let peakRss = 0;
type Phase = 'started' | 'second source' | 'receiving' | 'processing';
let phase = 'started' as Phase;
const phasePeaks: Record<Phase, number> = { started: 0, 'second source': 0, receiving: 0, processing: 0 };
const sample = () => {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    peakRss = Math.max(peakRss, rss);
    phasePeaks[phase] = Math.max(phasePeaks[phase], rss);
  } catch {
    // the server has exited: the last sample stands
  }
};
sample(); // the server as it started, before anything is imported
const sampler = setInterval(sample, 100);

const { practiceId, token } = await run.practiceWithToken('Benchmark Practice');
phase = 'second source';
const secondImport = second ? await importSecondSource(run, practiceId, secondDir) : null;
if (secondImport) say(`  BrightBooks imported first (untimed): ${(secondImport.processingMs / 1000).toFixed(2)} s of processing`);

// The sender runs in a process of its own (send-export.ts), as `brightclient send` would: its peak RSS is the
// sender's alone, and it times each batch's acknowledgement around the SDK's own fetch calls.
say(`Sending ${total.toLocaleString('en-GB')} records …`);
const sendStarted = performance.now();
phase = 'receiving';
const cpuAtSend = serverCpu(child.pid!);
const senderCpuBefore = reapedChildrenCpu();
const sender = [path.join(import.meta.dirname, 'send-export.ts'), '--server', server, '--token', token, '--export', exportDir];
sender.push('--uploads', String(uploads));
if (values.gzip) sender.push('--gzip');
const { stdout: senderOutput } = await promisify(execFile)(process.execPath, sender, { maxBuffer: 64 * 2 ** 20 });
const sent = JSON.parse(senderOutput) as {
  importId: string;
  view: ImportView;
  batchCount: number;
  uploadedBytes: number;
  uploadMs: number;
  acks: number[];
  peakRssMb: number;
};
const importId = sent.importId;
let view = sent.view;
phase = 'processing';
const cpuAtComplete = serverCpu(child.pid!);
const senderCpu = reapedChildrenCpu() - senderCpuBefore;
while (view.status !== 'completed') {
  await new Promise((r) => setTimeout(r, 100));
  view = (await (await fetch(`${server}/v1/imports/${importId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as typeof view;
}
const endToEndMs = performance.now() - sendStarted;
const cpuAtEnd = serverCpu(child.pid!);
const processingMs = new Date(view.completedAt!).getTime() - new Date(view.processingAt!).getTime();
clearInterval(sampler);

// Sizes, then the baselines on the same database server.
const db = new pg.Client({ connectionString: run.databaseUrl });
await db.connect();
const size = Number((await db.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0]!.n);
say('Baselines: COPY of the same valid rows, and per-row INSERTs on a sample …');
const copy = await copyBaseline(db, importId);
say(`  the baseline's indexes: ${copy.indexes.join(', ')}`);
const perRow = await perRowBaseline(db, Number(values.sample));
await db.end();

await run.stop();

const sorted = sent.acks.toSorted((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const uploadedMb = sent.uploadedBytes / 1e6;
const counts = view.counts;
const imported = counts.clients.imported + counts.contacts.imported + counts.addresses.imported;
const perRowExtrapolatedMs = (perRow.ms / perRow.rows) * copy.rows;
const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    database: run.embedded ? 'embedded PostgreSQL 17' : 'DATABASE_URL',
  },
  records: total,
  batches: sent.batchCount,
  uploadsInFlight: uploads,
  counts,
  ackMs: { median: pct(50), p95: pct(95), max: sorted.at(-1) ?? 0, batches: sorted.length },
  intakeMBps: uploadedMb / (sent.uploadMs / 1000),
  uploadMs: sent.uploadMs,
  processingMs,
  endToEndMs,
  recordsPerSecond: total / (endToEndMs / 1000),
  serverPeakRssMb: peakRss / 2 ** 20,
  serverPeakRssByPhaseMb: Object.fromEntries(Object.entries(phasePeaks).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
  senderPeakRssMb: sent.peakRssMb,
  // Where the time went, in CPU seconds (2 cores): while the batches were sent, and while the import was processed.
  cpuSeconds: {
    receiving: { ...cpuBetween(cpuAtSend, cpuAtComplete), sender: senderCpu },
    processing: cpuBetween(cpuAtComplete, cpuAtEnd),
  },
  databaseMb: size / 2 ** 20,
  secondSource: secondImport && second ? { records: second, processingMs: secondImport.processingMs } : null,
  matchedRecords: view.counts.clients.matched + view.counts.contacts.matched + view.counts.addresses.matched,
  processingUsPerRecord: (processingMs * 1000) / total,
  copy: { rows: copy.rows, ms: copy.ms, indexes: copy.indexes },
  endToEndOverCopy: endToEndMs / copy.ms,
  perRowInsert: {
    sampleRows: perRow.rows,
    sampleMs: perRow.ms,
    extrapolatedMs: perRowExtrapolatedMs,
    label: 'extrapolated from the sample',
  },
  speedupOverPerRow: perRowExtrapolatedMs / endToEndMs,
  // Goals of issue #17, so a result file says what it was measured against.
  goals: { ackMedianMs: 300, ackP95Ms: 600, serverPeakRssMb: 400, senderPeakRssMb: 200, endToEndOverCopy: 3 },
};
await fs.mkdir(path.join(root, 'bench/results'), { recursive: true });
// A run without the second source, or with other than two uploads in flight, is named apart, so the pairs that
// measure matching's overhead and the uploads' effect on the ack keep both files.
const name = `${result.date.slice(0, 10)}-${total}${second ? '' : '-one-source'}${uploads === 2 ? '' : `-uploads-${uploads}`}`;
const file = path.join(root, 'bench/results', `${name}.json`);
await fs.writeFile(file, JSON.stringify(result, null, 2) + '\n');

const row = (name: string, value: string, goal = '') => say(`${name.padEnd(40)} ${value.padStart(16)}   ${goal}`);
say('');
row('records (imported)', `${total.toLocaleString('en-GB')} (${imported.toLocaleString('en-GB')})`);
row('batches (uploads in flight)', `${sent.batchCount} (${uploads})`);
row('10 MB batch ack, median / p95', `${pct(50).toFixed(0)} / ${pct(95).toFixed(0)} ms`, 'goal: ≤ 300 / ≤ 600 ms');
row('intake', `${result.intakeMBps.toFixed(1)} MB/s`);
row('matching', second ? `on (${result.matchedRecords.toLocaleString('en-GB')} joined)` : 'off (one source)');
row('processing after complete', `${(processingMs / 1000).toFixed(2)} s`);
row('processing per record', `${result.processingUsPerRecord.toFixed(1)} µs`, 'goal: flat (3M within 20 % of 100k)');
row('end to end', `${(endToEndMs / 1000).toFixed(2)} s`);
row('records/s end to end', Math.round(result.recordsPerSecond).toLocaleString('en-GB'));
row('server peak RSS', `${result.serverPeakRssMb.toFixed(0)} MB`, 'goal: ≤ 400 MB, flat');
row('  started / 2nd source / receiving / processing', `${Object.values(result.serverPeakRssByPhaseMb).join(' / ')} MB`);
const cpuRow = (name: string, c: ServerCpu & { sender?: number }) =>
  row(
    name,
    [c.main, c.intake, c.background, run.embedded ? c.database : NaN, c.sender ?? NaN]
      .map((v) => (Number.isNaN(v) ? '–' : v.toFixed(1)))
      .join(' / '),
    's',
  );
say('CPU: server main / intake threads / V8 and libuv threads / PostgreSQL / sender');
cpuRow('  while receiving', result.cpuSeconds.receiving);
cpuRow('  while processing', result.cpuSeconds.processing);
row('sender peak RSS', `${result.senderPeakRssMb.toFixed(0)} MB`, 'goal: < 200 MB');
row('database size', `${result.databaseMb.toFixed(0)} MB`);
row(`COPY of the ${copy.rows.toLocaleString('en-GB')} valid rows`, `${(copy.ms / 1000).toFixed(2)} s`);
row('end to end / COPY', `${result.endToEndOverCopy.toFixed(2)}×`, 'goal: ≤ 3×');
row(`per-row INSERT (${perRow.rows.toLocaleString('en-GB')}-row sample, extrapolated)`, `${(perRowExtrapolatedMs / 1000).toFixed(1)} s`);
row('speed-up over per-row INSERT', `${result.speedupOverPerRow.toFixed(1)}×`, '(information)');
say(`\nWritten to ${path.relative(root, file)}`);
if (!existsSync(file)) process.exitCode = 1;
