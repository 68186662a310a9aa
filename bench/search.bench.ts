// `npm run bench:search -- [--clients 20000] [--queries 50] [--database-url URL]`: search quality and latency.
// Generates the clients of a practice with the CLI generator (packages/sender/src/cli/generate), a share of their names with an
// accent (the generator's are plain ASCII), loads them into a fresh database in one INSERT (so the name folding,
// vocabulary and indexes are built as a commit builds them), makes `--queries` queries of each kind with a known
// target (bench/search-queries.ts) and runs each through the service the API uses (listClients, in a practice
// transaction), after one warm-up pass. Prints recall@1, recall@5 and the latency per kind and overall, and writes
// bench/results/<date>-search-<clients>.json.
//
// A result counts as the target when it is the target, or (for a name query) a client with exactly the target's
// name: the generator repeats names ("Peak Joinery Ltd" several times in 20,000), and no query can tell them
// apart — the user then tells them apart by reference. How many targets share their name is printed too.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generatePractice } from '../packages/sender/src/cli/generate/practice-data.ts';
import { checkClient } from '../src/intake/validate-record.ts';
import { withPractice } from '../src/db/tenant.ts';
import { listClients } from '../src/repository/client.service.ts';
import { startServer } from '../src/server.ts';
import { accented, makeQueries, QUERY_KINDS, seeded, type BenchClient, type QueryKind } from './search-queries.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20000' },
    queries: { type: 'string', default: '50' },
    seed: { type: 'string', default: '7' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const clientCount = Number(values.clients);
const perKind = Number(values.queries);
const seed = Number(values.seed);
const say = (line: string) => process.stdout.write(`${line}\n`);
const root = path.resolve(import.meta.dirname, '..');

const name = `bc_search_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: values['database-url'] });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(values['database-url']);
url.pathname = `/${name}`;
// The process's own composition, without HTTP or workers: the bench reads through the search service directly.
const server = await startServer({
  databaseUrl: url.toString(),
  poolSize: 2,
  migrate: true,
  settings: { workerConcurrency: 0 },
  http: null,
});
const { db } = server;

try {
  say(`Generating ${clientCount.toLocaleString('en-GB')} clients …`);
  const random = seeded(seed);
  const rows: { reference: string; name: string; type: string; number: string | null }[] = [];
  for (const { type, record } of generatePractice({ clients: clientCount, seed, invalidRate: 0 }).records) {
    if (type !== 'clients') continue;
    const { values: v } = checkClient(record);
    if (!v.clientReference || !v.name || !v.clientType) continue;
    rows.push({
      reference: v.clientReference,
      name: random() < 0.05 ? accented(v.name, random) : v.name,
      type: v.clientType,
      number: v.companyNumber,
    });
  }
  const {
    rows: [practice],
  } = await db.query<{ id: string }>(`INSERT INTO practices (name) VALUES ('Search benchmark') RETURNING id`);
  const practiceId = practice!.id;
  let t = performance.now();
  await db.query(
    `INSERT INTO clients (id, practice_id, client_reference, name, client_type, company_number)
     SELECT gen_random_uuid(), $1, r, n, t, c FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(r, n, t, c)`,
    [practiceId, rows.map((r) => r.reference), rows.map((r) => r.name), rows.map((r) => r.type), rows.map((r) => r.number)],
  );
  await db.query('ANALYZE clients; ANALYZE search_words');
  const loadMs = performance.now() - t;
  const { rows: loaded } = await db.query<{ id: string; client_reference: string; name: string; company_number: string | null }>(
    'SELECT id, client_reference, name, company_number FROM clients WHERE practice_id = $1',
    [practiceId],
  );
  const clients: BenchClient[] = loaded.map((r) => ({
    id: r.id,
    name: r.name,
    clientReference: r.client_reference,
    companyNumber: r.company_number,
  }));
  const words = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM search_words WHERE practice_id = $1', [practiceId]);
  say(
    `Loaded ${clients.length.toLocaleString('en-GB')} clients in ${(loadMs / 1000).toFixed(1)} s (${words.rows[0]!.n} distinct name words).`,
  );

  const nameCount = new Map<string, number>();
  for (const c of clients) nameCount.set(c.name, (nameCount.get(c.name) ?? 0) + 1);
  const queries = makeQueries(clients, perKind, seed);
  const codeKinds = new Set<QueryKind>(['reference_prefix', 'company_number_prefix']);

  const search = (text: string) =>
    withPractice(db, practiceId, (tx) => listClients(tx, practiceId, { search: text, limit: 5, cursor: null }));
  for (const q of queries) await search(q.text); // warm-up: the same pages and plans a busy server has

  const results = queries.map((q) => ({ ...q, rank: 0, ms: 0 }));
  for (const r of results) {
    t = performance.now();
    const answer = await search(r.text);
    r.ms = performance.now() - t;
    if (!answer.ok) throw new Error(answer.failure.detail);
    const same = (c: { id: string; name: string }) => c.id === r.target.id || (!codeKinds.has(r.kind) && c.name === r.target.name);
    r.rank = answer.value.clients.findIndex(same) + 1;
  }

  const quantile = (ms: number[], p: number) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  };
  const summarise = (rs: typeof results) => ({
    queries: rs.length,
    recallAt1: rs.filter((r) => r.rank === 1).length / rs.length,
    recallAt5: rs.filter((r) => r.rank >= 1 && r.rank <= 5).length / rs.length,
    medianMs: quantile(
      rs.map((r) => r.ms),
      0.5,
    ),
    p95Ms: quantile(
      rs.map((r) => r.ms),
      0.95,
    ),
  });
  const byKind = Object.fromEntries(QUERY_KINDS.map((k) => [k, summarise(results.filter((r) => r.kind === k))]));
  const overall = summarise(results);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`.padStart(8);
  const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(9);
  say('');
  say(`${'kind'.padEnd(24)}queries  recall@1  recall@5   median      p95`);
  for (const [kind, s] of [...Object.entries(byKind), ['all', overall] as const]) {
    say(`${kind.padEnd(24)}${String(s.queries).padStart(7)}${pct(s.recallAt1)}  ${pct(s.recallAt5)}${ms(s.medianMs)}${ms(s.p95Ms)}`);
  }
  const shared = results.filter((r) => !codeKinds.has(r.kind) && (nameCount.get(r.target.name) ?? 0) > 1).length;
  say(
    `\n${shared} of the ${results.length - results.filter((r) => codeKinds.has(r.kind)).length} name queries target a name that more than one client has.`,
  );
  const misses = results.filter((r) => r.rank !== 1).slice(0, 15);
  if (misses.length > 0)
    say(`Not first (up to 15): ${misses.map((r) => `${r.kind} "${r.text}" → "${r.target.name}" (${r.rank || '–'})`).join('; ')}`);

  const file = path.join(root, 'bench/results', `${new Date().toISOString().slice(0, 10)}-search-${clientCount}.json`);
  await fs.writeFile(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        clients: clients.length,
        nameWords: words.rows[0]!.n,
        loadSeconds: loadMs / 1000,
        seed,
        overall,
        byKind,
        sharedNameTargets: shared,
        misses: results.filter((r) => r.rank !== 1).map((r) => ({ kind: r.kind, query: r.text, target: r.target.name, rank: r.rank })),
      },
      null,
      2,
    ) + '\n',
  );
  say(`\nWrote ${path.relative(root, file)}`);
} finally {
  await server.stop();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
