// `npm run bench:profile -- [--clients N] [--database-url URL] [--second-source] [--explain-over MS]`: the engine's
// phases on N generated clients with their contacts and addresses (`brightclient generate`'s practice, about 6.8
// records a client), run in-process against PostgreSQL, with the time of every step. For finding the largest cost;
// `npm run bench` measures the product end to end.
// --second-source imports BrightBooks's overlapping export of the same practice first (`generate --overlap-with`,
// 0.6 of the clients), so the profiled import runs with matching. --explain-over MS prints the plan, with actual
// times and buffers, of every statement of the profiled import's processing that takes longer (auto_explain, which
// the server must have: PostgreSQL's contrib, as Debian's packages and the embedded PostgreSQL have it).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { SourceScope } from '../src/domain/scope.ts';
import { receiveBatch, startImport } from '../src/imports/import.service.ts';
import { createIntakePool } from '../src/intake/intake-pool.ts';
import { backgroundStagingDone } from '../src/intake/stage-batch.ts';
import { createPractice } from '../src/practices/practice.service.ts';
import { runCheck } from '../src/pipeline/check.sql.ts';
import { COMMIT_SQL, commitBatch, pendingBatches } from '../src/pipeline/commit.sql.ts';
import { processImport } from '../src/pipeline/process-import.ts';
import { withTransaction } from '../src/db/pool.ts';
import { startServer } from '../src/server.ts';
import { DEFAULTS } from '../src/config.ts';
import { enterQueued } from '../src/imports/import-lifecycle.sql.ts';
import { analyzeStaging } from '../src/pipeline/statistics.sql.ts';
import { generatePractice, toBatches, type GeneratedRecord } from '../packages/sender/src/cli/generate/practice-data.ts';
import { writeGeneratedExport } from '../packages/sender/src/cli/generate/write-export.ts';
import { writeSecondSource } from '../packages/sender/src/cli/generate/second-source.ts';
import { findExportFiles, readExport } from '../packages/sender/src/cli/export-reader.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20000' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'second-source': { type: 'boolean', default: false },
    'explain-over': { type: 'string' },
  },
});
const clients = Number(values.clients);
const serverUrl = values['database-url'];
const name = `bc_profile_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
if (values['explain-over'])
  // Every session loads auto_explain and sends the plan of each statement slower than this to its client.
  url.searchParams.set(
    'options',
    `-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=${Number(values['explain-over'])} ` +
      '-c auto_explain.log_analyze=on -c auto_explain.log_buffers=on -c auto_explain.log_level=notice',
  );
// The process's own composition, without HTTP or workers: the phases below run in this process, one by one.
const server = await startServer({
  databaseUrl: url.toString(),
  poolSize: 4,
  migrate: true,
  settings: { workerConcurrency: 0, logLevel: 'warn' },
  http: null,
});
const { db } = server;
/** EXPLAIN=1: the whole commit in one transaction that is rolled back, with the plan of each type's last batch. */
async function explainLastBatches(importId: string, scope: SourceScope): Promise<void> {
  const params = { importId, ...scope };
  await withTransaction(db, async (tx) => {
    await analyzeStaging(tx);
    await runCheck(tx, params);
    const batches = await pendingBatches(tx, importId);
    for (const [i, batch] of batches.entries()) {
      if (batches[i + 1]?.record_type === batch.record_type) {
        await commitBatch(tx, batch, params, false);
        continue;
      }
      await tx.query('SET LOCAL enable_nestloop = off');
      const plan = await tx.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${COMMIT_SQL[batch.record_type]}`, [
        importId,
        batch.batch_no,
        scope.practiceId,
        scope.source,
      ]);
      process.stdout.write(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n') + '\n');
    }
    throw new Error('rollback');
  }).catch((e: Error) => {
    if (e.message !== 'rollback') throw e;
  });
}

/** Prints the plans auto_explain sends (every session has it, see the database URL) once `explaining` is set. */
let explaining = false;
function printPlans(): void {
  const listening = new WeakSet<object>();
  db.on('acquire', (client) => {
    if (listening.has(client)) return;
    listening.add(client);
    client.on('notice', (notice) => {
      if (explaining && notice.message?.startsWith('duration:')) process.stdout.write(`${notice.message}\n`);
    });
  });
}

/** Receives the records as one import of `scope` and stages them; the import is left queued. */
async function receiveImport(scope: SourceScope, records: Iterable<GeneratedRecord>): Promise<{ importId: string; records: number }> {
  const started = await startImport(db, scope, null);
  if (!started.ok) throw new Error(started.failure.detail);
  const importId = started.value.view.id;
  const batches = toBatches(records, 25_000);
  const t = performance.now();
  for (let i = 0; i < batches.length; i++) {
    const answer = await receiveBatch(db, intake, scope, importId, i + 1, Buffer.from(JSON.stringify(batches[i])));
    if (!answer.ok) throw new Error(answer.failure.detail);
  }
  await backgroundStagingDone(importId);
  const count = batches.reduce((n, b) => n + b.records.length, 0);
  process.stdout.write(
    `intake      ${(performance.now() - t).toFixed(0)} ms for ${count.toLocaleString('en-GB')} records in ${batches.length} batches\n`,
  );
  await enterQueued(db, importId, batches.length);
  return { importId, records: count };
}

/** The generated practice's records and, with --second-source, BrightBooks's overlapping export of them. */
async function exports(): Promise<{ first: GeneratedRecord[]; second: GeneratedRecord[] | null }> {
  if (!values['second-source']) return { first: [...generatePractice({ clients }).records], second: null };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-profile-'));
  try {
    await writeGeneratedExport(path.join(dir, 'first'), { clients, seed: 1, invalidRate: 0.01 });
    await writeSecondSource(path.join(dir, 'second'), { overlapWith: path.join(dir, 'first'), overlap: 0.6, seed: 2, prefix: 'B-' });
    const read = async (folder: string) => {
      const records: GeneratedRecord[] = [];
      for await (const { type, record } of readExport(await findExportFiles(path.join(dir, folder))))
        records.push({ type, record: record as GeneratedRecord['record'] });
      return records;
    };
    return { first: await read('first'), second: await read('second') };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const intake = createIntakePool(DEFAULTS.intakeThreads);
if (values['explain-over']) printPlans();
try {
  const practice = await createPractice(db, 'Profile');
  const scope = { practiceId: practice.id, source: 'brightmanager' };
  const { first, second } = await exports();
  if (second) {
    const other = await receiveImport({ practiceId: practice.id, source: 'brightbooks' }, second);
    await processImport(db, other.importId, { log: server.log, heartbeatSeconds: DEFAULTS.heartbeatSeconds });
    process.stdout.write(`            (BrightBooks's ${other.records.toLocaleString('en-GB')} records imported first, for matching)\n`);
  }
  const { importId, records } = await receiveImport(scope, first);
  if (process.env.EXPLAIN) await explainLastBatches(importId, scope);
  explaining = Boolean(values['explain-over']);
  const all = performance.now();
  await processImport(db, importId, { log: server.log, heartbeatSeconds: DEFAULTS.heartbeatSeconds });
  const total = performance.now() - all;
  const { rows } = await db.query<{ step: string; batches: number; ms: number; slowest: number }>(
    `SELECT step, count(*)::int AS batches, sum(ms)::int AS ms, max(ms) AS slowest FROM import_log WHERE import_id = $1 GROUP BY step ORDER BY min(at)`,
    [importId],
  );
  for (const r of rows)
    process.stdout.write(`${r.step.padEnd(10)}  ${String(r.ms).padStart(6)} ms in ${r.batches} transaction(s), slowest ${r.slowest} ms\n`);
  process.stdout.write(
    `processing  ${total.toFixed(0)} ms = ${Math.round(records / (total / 1000)).toLocaleString('en-GB')} records/s (steps overlap when batches commit in parallel)\n`,
  );
} finally {
  await intake.close();
  await server.stop();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}
