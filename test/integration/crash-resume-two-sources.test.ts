// SIGKILL of the server while a second product's export commits against the first's (SPEC §9): BrightManager's
// export, then BrightBooks' overlapping export of the same practice (`generate --overlap-with`), killed at random
// moments of its commit, again and again. After restarts it completes with the counts of an uninterrupted run —
// matched included — and the same central rows: no client or contact twice, each matched one linked exactly once
// from each product.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { findExportFiles, readExport } from '../../packages/sender/src/cli/export-reader.ts';
import { writeSecondSource } from '../../packages/sender/src/cli/generate/second-source.ts';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import { createPractice, createSourceToken } from '../../src/practices/practice.service.ts';
import { httpSource } from '../helpers/processes.ts';
import { pause, useServerProcesses } from '../helpers/server-processes.ts';

const processes = useServerProcesses();
const { server, stop, status } = processes;
const waitCompleted = (importId: string) => processes.waitFor(importId, 'completed');
let work: string;
const batches: Record<'manager' | 'books', object[]> = { manager: [], books: [] };

/** An export's records as batches of at most 1,000 records of one type, as the sender would cut them. */
async function batchesOf(dir: string): Promise<object[]> {
  const byType = new Map<string, unknown[]>();
  for await (const { type, record } of readExport(await findExportFiles(dir))) {
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type)!.push(record);
  }
  const out: object[] = [];
  for (const [type, records] of byType) {
    for (let i = 0; i < records.length; i += 1000) out.push({ type, records: records.slice(i, i + 1000) });
  }
  return out;
}

before(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-crash-two-'));
  const [first, second] = [path.join(work, 'manager'), path.join(work, 'books')];
  await writeGeneratedExport(first, { clients: 2000, seed: 21, invalidRate: 0.02, format: 'ndjson' });
  await writeSecondSource(second, { overlapWith: first, overlap: 0.6, seed: 22, prefix: 'B-' });
  batches.manager = await batchesOf(first);
  batches.books = await batchesOf(second);
});
after(async () => {
  if (work) await fs.rm(work, { recursive: true, force: true });
});

/** A practice with a token for each product. */
async function practice(name: string): Promise<{ practiceId: string; manager: string; books: string }> {
  const { id } = await createPractice(processes.db, name);
  const token = async (source: string) => {
    const outcome = await createSourceToken(processes.db, id, source);
    if (!outcome.ok) throw new Error(outcome.failure.detail);
    return outcome.value.token;
  };
  return { practiceId: id, manager: await token('brightmanager'), books: await token('brightbooks') };
}

/** An import's counts (matched included) and error rows. */
async function outcome(importId: string) {
  const counts = await processes.db.query(
    `SELECT record_type, received, imported, failed, skipped, matched FROM import_counts WHERE import_id = $1 ORDER BY record_type`,
    [importId],
  );
  const errors = await processes.db.query(
    `SELECT record_type, batch_no, pos, field, code, ref, reason FROM record_errors WHERE import_id = $1
      ORDER BY record_type, batch_no, pos, field, code`,
    [importId],
  );
  return { counts: counts.rows, errors: errors.rows };
}

/**
 * The practice's central rows and links: how many of each, how the second product's records were matched, and how
 * many central clients and contacts have how many links from which products.
 */
async function centralRows(practiceId: string) {
  const { rows } = await processes.db.query<{
    totals: Record<string, number>;
    matchedBy: Record<string, number>;
    links: Record<string, number>;
  }>(
    `SELECT
       (SELECT jsonb_build_object(
          'clients', (SELECT count(*) FROM clients WHERE practice_id = $1),
          'contacts', (SELECT count(*) FROM contacts WHERE practice_id = $1),
          'addresses', (SELECT count(*) FROM addresses WHERE practice_id = $1),
          'roles', (SELECT count(*) FROM client_contacts WHERE practice_id = $1),
          'links', (SELECT count(*) FROM source_records WHERE practice_id = $1))) AS totals,
       (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (
          SELECT record_type || ' ' || matched_by AS k, count(*) AS n FROM source_records
           WHERE practice_id = $1 AND source = 'brightbooks' GROUP BY 1) m) AS "matchedBy",
       (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (
          SELECT record_type || ' ' || sources AS k, count(*) AS n FROM (
            SELECT record_type, central_id, string_agg(source, '+' ORDER BY source) AS sources FROM source_records
             WHERE practice_id = $1 AND record_type IN ('clients', 'contacts') GROUP BY 1, 2) per_record
           GROUP BY 1) l) AS links`,
    [practiceId],
  );
  return rows[0]!;
}

/** A matched central record is linked once from each product: never twice from one, never three times. */
function assertMatchedLinkedTwice(rows: Awaited<ReturnType<typeof centralRows>>): void {
  for (const key of Object.keys(rows.links)) {
    assert.match(key, /^(clients|contacts) (brightbooks|brightmanager|brightbooks\+brightmanager)$/, `links: ${key}`);
  }
  for (const type of ['clients', 'contacts']) {
    const matched = Object.entries(rows.matchedBy)
      .filter(([k]) => k.startsWith(`${type} `) && !k.endsWith(' new'))
      .reduce((sum, [, n]) => sum + n, 0);
    assert.ok(matched > 0, `some ${type} matched`);
    assert.equal(rows.links[`${type} brightbooks+brightmanager`], matched, `${type}: each matched record has two links`);
  }
}

let reference: { books: Awaited<ReturnType<typeof outcome>>; rows: Awaited<ReturnType<typeof centralRows>> };
let commitMs = 200;

test('both exports uninterrupted, for reference', async () => {
  const s = await server();
  const p = await practice('Reference');
  await waitCompleted(await httpSource(processes.port, p.manager).send(batches.manager));
  const id = await httpSource(processes.port, p.books).send(batches.books);
  // How long the second export's commit takes, to kill within it below.
  while ((await status(id)).phase !== 'committing' && (await status(id)).status !== 'completed') await pause(5);
  const committing = Date.now();
  while ((await status(id)).phase === 'committing') await pause(5);
  commitMs = Math.max(50, Date.now() - committing);
  await waitCompleted(id);
  await stop(s);
  reference = { books: await outcome(id), rows: await centralRows(p.practiceId) };
  assert.ok(
    reference.books.counts.some((c) => (c as { matched: number }).matched > 0),
    'the second export matched records of the first',
  );
  assertMatchedLinkedTwice(reference.rows);
});

test('the server killed at random moments of the second export’s commit: the same counts, matches and rows', async () => {
  let s = await server();
  const p = await practice('Killed during the second commit');
  await waitCompleted(await httpSource(processes.port, p.manager).send(batches.manager));
  const id = await httpSource(processes.port, p.books).send(batches.books);
  const killedIn: string[] = [];
  for (let round = 0; round < 3 && (await status(id)).status !== 'completed'; round++) {
    while (!['committing', 'finalising', 'completed'].includes((await status(id)).phase)) await pause(5);
    await pause(Math.floor((Math.random() * commitMs) / 2)); // within the first half: mostly mid-commit
    killedIn.push((await status(id)).phase);
    await stop(s);
    s = await server();
  }
  await waitCompleted(id);
  await stop(s);
  process.stdout.write(`# the second export's commit takes ${commitMs} ms; killed in ${killedIn.join(', ')}\n`);
  assert.ok(killedIn.includes('committing'), `killed at least once mid-commit (${killedIn.join(', ')})`);
  assert.deepEqual(await outcome(id), reference.books);
  const rows = await centralRows(p.practiceId);
  assert.deepEqual(rows, reference.rows);
  assertMatchedLinkedTwice(rows);
  const steps = await processes.db.query(
    `SELECT step, batch_no, count(*)::int AS n FROM import_log WHERE import_id = $1 GROUP BY 1, 2 HAVING count(*) > 1`,
    [id],
  );
  assert.deepEqual(steps.rows, [], 'no step committed twice');
});
