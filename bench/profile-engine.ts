// `node bench/profile-engine.ts [--clients N] [--database-url URL]`: the engine's phases on N synthetic clients
// (and 2N contacts, 2N addresses), run in-process against PostgreSQL, with the time of every statement. For finding
// the largest cost; `npm run bench` measures the product end to end.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Tx } from '../src/db/pool.ts';
import { receiveBatch, startImport } from '../src/imports/import.service.ts';
import { createPractice } from '../src/practices/practice.service.ts';
import { runCheck } from '../src/pipeline/check.sql.ts';
import { commitBatch, pendingBatches } from '../src/pipeline/commit.sql.ts';
import { runFinalise } from '../src/pipeline/finalise.sql.ts';
import { withTransaction } from '../src/db/pool.ts';
import { syntheticExport, toBatches } from '../test/helpers/synthetic.ts';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '20000' }, 'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' } } });
const clients = Number(values.clients);
const server = values['database-url']!;
const name = `bc_profile_${process.pid}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(server);
url.pathname = `/${name}`;
const db = createPool(url.toString(), 4);
const wrapped = new WeakSet<Tx>();
const timed = (tx: Tx): Tx => {
  if (wrapped.has(tx)) return tx;
  wrapped.add(tx);
  const query = tx.query.bind(tx) as (...args: unknown[]) => Promise<unknown>;
  (tx as unknown as { query: unknown }).query = async (...args: unknown[]) => {
    const started = performance.now();
    const result = await query(...args);
    const ms = performance.now() - started;
    if (ms > 20) process.stdout.write(`    ${ms.toFixed(0).padStart(6)} ms  ${String(args[0]).trim().replace(/\s+/g, ' ').slice(0, 90)}\n`);
    return result;
  };
  return tx;
};
try {
  await migrate(db);
  const practice = await createPractice(db, 'Profile');
  const scope = { practiceId: practice.id, source: 'brightmanager' };
  const started = await startImport(db, scope, null);
  if (!started.ok) throw new Error(started.failure.detail);
  const importId = started.value.id;
  const batches = toBatches(syntheticExport(clients), 25_000);
  let t = performance.now();
  for (let i = 0; i < batches.length; i++) {
    const answer = await receiveBatch(db, scope, importId, i + 1, Buffer.from(JSON.stringify(batches[i])));
    if (!answer.ok) throw new Error(answer.failure.detail);
  }
  const records = clients * 5;
  process.stdout.write(`intake      ${(performance.now() - t).toFixed(0)} ms for ${records.toLocaleString('en-GB')} records in ${batches.length} batches\n`);
  await db.query(`UPDATE imports SET status = 'processing' WHERE id = $1`, [importId]);
  const all = performance.now();
  t = performance.now();
  await db.query('ANALYZE staged_clients, staged_contacts, staged_contact_links, staged_addresses, source_records');
  await withTransaction(db, (tx) => runCheck(timed(tx), { importId, ...scope }));
  process.stdout.write(`check       ${(performance.now() - t).toFixed(0)} ms\n`);
  t = performance.now();
  let type = '';
  for (const batch of await pendingBatches(db, importId)) {
    if (batch.record_type !== type) {
      await db.query('ANALYZE source_records');
      if (process.env.EXPLAIN) {
        // The first batch of each type, planned and run in a transaction that is rolled back.
        const { COMMIT_SQL } = await import('../src/pipeline/commit.sql.ts');
        await withTransaction(db, async (tx) => {
          const plan = await tx.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${COMMIT_SQL[batch.record_type]}`, [importId, batch.batch_no, scope.practiceId, scope.source]);
          process.stdout.write(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n') + '\n');
          throw new Error('rollback');
        }).catch((e: Error) => { if (e.message !== 'rollback') throw e; });
      }
    }
    type = batch.record_type;
    await withTransaction(db, (tx) => commitBatch(timed(tx), batch, { importId, ...scope }));
  }
  process.stdout.write(`commit      ${(performance.now() - t).toFixed(0)} ms\n`);
  t = performance.now();
  await withTransaction(db, (tx) => runFinalise(timed(tx), { importId, ...scope }));
  process.stdout.write(`finalise    ${(performance.now() - t).toFixed(0)} ms\n`);
  const total = performance.now() - all;
  process.stdout.write(`processing  ${total.toFixed(0)} ms = ${Math.round(records / (total / 1000)).toLocaleString('en-GB')} records/s\n`);
} finally {
  await db.end();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}
