// `npm run bench:matching -- --clients 5000 [--identifier-rates realistic|pessimistic]`: one client across products
// (SPEC §9), measured against the generator's ground truth. Generates a BrightManager export and a BrightBooks
// export of the same practice with a planted overlap (`generate --overlap-with`), sends both to a fresh server with the sender SDK, then compares the
// links and review items the server made with expected-matches.csv: precision and recall of automatic joins, recall
// of joins + review items, and the share of clients sent to review. Prints figures with their goals; writes
// bench/results/<date>-matching-<clients>.json (…-<clients>-pessimistic.json with the generator's harsher rates).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { findExportFiles, readExport } from '../packages/sender/src/cli/export-reader.ts';
import { createApiClient, sendExport } from '../packages/sender/src/index.ts';
import { startRunServer } from './server.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    overlap: { type: 'string', default: '0.6' },
    'identifier-rates': { type: 'string', default: 'realistic' },
  },
});
const clients = Number(values.clients);
const rates = values['identifier-rates'];
const say = (line: string) => process.stdout.write(`${line}\n`);

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-matching-'));
const firstDir = path.join(work, 'manager');
const secondDir = path.join(work, 'books');
const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, [path.join(root, 'src/cli/main.ts'), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`brightclient ${args.join(' ')}: ${run.stderr}`);
};
say(`Generating ${clients.toLocaleString('en-GB')} clients for BrightManager and an overlapping BrightBooks export (${rates} rates) …`);
cli('generate', firstDir, '--clients', String(clients), '--seed', values.seed);
cli(
  'generate',
  secondDir,
  ...['--overlap-with', firstDir, '--overlap', values.overlap, '--identifier-rates', rates, '--seed', String(Number(values.seed) + 1)],
);

const server = await startRunServer('matching');
const practice = await server.admin<{ id: string }>('/admin/practices', { name: 'Matching Benchmark' });
const processing: Record<string, number> = {};
for (const [source, dir] of [
  ['brightmanager', firstDir],
  ['brightbooks', secondDir],
] as const) {
  const { token } = await server.admin<{ token: string }>(`/admin/practices/${practice.id}/tokens`, { source });
  const client = createApiClient({ server: server.url, token });
  const sent = await sendExport(client, readExport(await findExportFiles(dir)), { stateFile: null, concurrency: 2 });
  let view = sent.view;
  while (view.status !== 'completed') {
    await new Promise((r) => setTimeout(r, 100));
    view = await client.getImport(sent.importId);
  }
  processing[source] = new Date(view.completedAt!).getTime() - new Date(view.processingAt!).getTime();
  say(`  ${source}: ${view.counts.clients.imported} clients imported, ${view.counts.clients.matched} joined another product's`);
}

const db = new pg.Client({ connectionString: server.databaseUrl });
await db.connect();
const central = new Map<string, string>(); // `${type}:${source}:${ref}` → central id
for (const row of (
  await db.query<{ record_type: string; source: string; ref: string; central_id: string }>(
    'SELECT record_type, source, ref, central_id FROM source_records WHERE practice_id = $1',
    [practice.id],
  )
).rows)
  central.set(`${row.record_type}:${row.source}:${row.ref}`, row.central_id);
const reviewed = new Set<string>();
const clientItems = (
  await db.query<{ kind: string; records: string[]; record_type: string }>(
    'SELECT kind, records, record_type FROM match_reviews WHERE practice_id = $1',
    [practice.id],
  )
).rows;
for (const row of clientItems) for (const a of row.records) for (const b of row.records) if (a !== b) reviewed.add(`${a}|${b}`);
const joinedAcross = Number(
  (
    await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM source_records WHERE practice_id = $1 AND source = 'brightbooks' AND record_type = 'clients' AND matched_by <> 'new'`,
      [practice.id],
    )
  ).rows[0]!.n,
);
const clientsInReview = Number(
  (
    await db.query<{ n: string }>(
      `SELECT count(DISTINCT r) AS n FROM match_reviews, unnest(records) r WHERE practice_id = $1 AND record_type = 'clients'`,
      [practice.id],
    )
  ).rows[0]!.n,
);
const reviewKinds = (
  await db.query<{ kind: string; record_type: string; n: string }>(
    'SELECT kind, record_type, count(*) AS n FROM match_reviews WHERE practice_id = $1 GROUP BY 1, 2 ORDER BY 2, 1',
    [practice.id],
  )
).rows.map((r) => `${r.record_type} ${r.kind} ${r.n}`);
const centralClients = Number(
  (await db.query<{ n: string }>('SELECT count(*) AS n FROM clients WHERE practice_id = $1', [practice.id])).rows[0]!.n,
);
await db.end();
await server.stop();

// Ground truth: each planted client pair is join, review or apart.
const expected = parse<Record<string, string>>(await fs.readFile(path.join(secondDir, 'expected-matches.csv')), { columns: true });
const typeOf = { client: 'clients', contact: 'contacts', address: 'addresses' } as Record<string, string>;
const tally = { clients: { tp: 0, fn: 0, fp: 0, found: 0, truePairs: 0 }, contacts: { tp: 0, fn: 0, fp: 0, found: 0, truePairs: 0 } };
for (const row of expected) {
  const type = typeOf[row['record_type']!]!;
  if (type !== 'clients' && type !== 'contacts') continue;
  const a = central.get(`${type}:brightmanager:${row['first_ref']}`);
  const b = central.get(`${type}:brightbooks:${row['second_ref']}`);
  if (!a || !b) continue;
  const t = tally[type];
  const joined = a === b;
  const shouldBeOne = row['expected'] !== 'apart';
  if (shouldBeOne) t.truePairs++;
  if (joined && row['expected'] === 'join') t.tp++;
  if (joined && row['expected'] === 'apart') t.fp++;
  if (!joined && row['expected'] === 'join') t.fn++;
  if (shouldBeOne && (joined || reviewed.has(`${a}|${b}`))) t.found++;
}
// What each client review item is: the planted pair it stands for (by variant), or no planted pair at all — then
// by the sources of its two records — so the share sent to review can be traced to what produced it.
const plantedPair = new Map<string, string>(); // `${central a}|${central b}` → variant
for (const row of expected) {
  if (row['record_type'] !== 'client') continue;
  const a = central.get(`clients:brightmanager:${row['first_ref']}`);
  const b = central.get(`clients:brightbooks:${row['second_ref']}`);
  const planted = row['planted']!;
  const variant =
    planted === 'look-alike'
      ? 'look-alike'
      : /no (shared )?identifiers?\b/.test(planted)
        ? 'identifier-less twin'
        : 'twin with an identifier';
  const label = `${row['expected']} · ${variant}`;
  if (a && b) plantedPair.set(`${a}|${b}`, label).set(`${b}|${a}`, label);
}
const sourcesOf = new Map<string, Set<string>>();
for (const [key, id] of central) {
  const [type, source] = key.split(':');
  if (type === 'clients') sourcesOf.set(id, (sourcesOf.get(id) ?? new Set()).add(source!));
}
const reviewByVariant: Record<string, number> = {};
const itemsPerClient = new Map<string, number>();
for (const item of clientItems) {
  if (item.record_type !== 'clients') continue;
  const [a, b] = item.records as [string, string];
  const sides = [a, b].map((id) => [...(sourcesOf.get(id) ?? [])].sort().join('+')).sort();
  const label = `${item.kind} · ${plantedPair.get(`${a}|${b}`) ?? `not planted · ${sides.join(' / ')}`}`;
  reviewByVariant[label] = (reviewByVariant[label] ?? 0) + 1;
  for (const id of item.records) itemsPerClient.set(id, (itemsPerClient.get(id) ?? 0) + 1);
}
const clientsInSeveralItems = [...itemsPerClient.values()].filter((n) => n > 1).length;
const precision = (t: { tp: number; fp: number }) => (t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp));
// Automatic joins the ground truth does not name at all count against precision too.
const clientPrecision = joinedAcross === 0 ? 1 : tally.clients.tp / joinedAcross;
const result = {
  date: new Date().toISOString(),
  clients,
  seed: Number(values.seed),
  overlap: Number(values.overlap),
  identifierRates: rates,
  clientsPrecisionOfJoins: clientPrecision,
  clientsRecallOfJoins: tally.clients.tp / Math.max(1, tally.clients.tp + tally.clients.fn),
  clientsRecallJoinsAndReview: tally.clients.found / Math.max(1, tally.clients.truePairs),
  contactsPrecisionOfJoins: precision(tally.contacts),
  contactsRecallJoinsAndReview: tally.contacts.found / Math.max(1, tally.contacts.truePairs),
  shareOfClientsInReview: clientsInReview / Math.max(1, centralClients),
  reviewItems: reviewKinds,
  clientReviewItemsByVariant: reviewByVariant,
  clientsInSeveralItems,
  processingMs: processing,
};
const f = (n: number) => n.toFixed(3);
say('');
say(`clients: precision of automatic joins ${f(result.clientsPrecisionOfJoins)} (goal 1.000, never < 0.995)`);
say(`clients: recall of automatic joins ${f(result.clientsRecallOfJoins)}`);
say(`clients: recall of joins + review items ${f(result.clientsRecallJoinsAndReview)} (goal ≥ 0.97)`);
say(`clients sent to review ${(result.shareOfClientsInReview * 100).toFixed(1)} % (goal ≤ 3 %)`);
for (const [label, n] of Object.entries(reviewByVariant).sort()) say(`  ${n} × ${label}`);
say(`  clients in more than one item: ${clientsInSeveralItems}`);
say(
  `contacts: precision of automatic joins ${f(result.contactsPrecisionOfJoins)}, recall of joins + review ${f(result.contactsRecallJoinsAndReview)}`,
);
say(`processing: BrightManager ${processing['brightmanager']} ms, BrightBooks (matched against it) ${processing['brightbooks']} ms`);
const out = path.join(
  root,
  'bench/results',
  `${result.date.slice(0, 10)}-matching-${clients}${rates === 'realistic' ? '' : `-${rates}`}.json`,
);
await fs.writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
say(`Written to ${path.relative(root, out)}.`);
await fs.rm(work, { recursive: true, force: true });
