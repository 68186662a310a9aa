// Through a proxy that drops connections mid-upload, loses answers after the server stored a batch, and answers
// 503, 429 and a proxy's HTML 502, the SDK still ends with exact counts and no duplicate anywhere; the event stream
// being unavailable falls back to polling.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { findExportFiles, readExport } from '../../packages/sender/src/cli/export-reader.ts';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import { createApiClient, follow, sendExport, type RetryInfo } from '../../packages/sender/src/index.ts';
import { createSource } from '../helpers/test-app.ts';
import {
  countsOf,
  errorRowsOf,
  expectedCounts,
  startListeningApp,
  startProxy,
  type Fault,
  type ListeningApp,
  type Proxy,
} from './sender-helpers.ts';

let t: ListeningApp;
let proxy: Proxy;
let tmp: string;
before(async () => {
  t = await startListeningApp();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-net-'));
});
after(async () => {
  await proxy?.close();
  await t?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

// Each batch number gets its own run of faults before it may pass, so every kind is met and every batch gets through.
const BATCH_FAULTS: Fault[][] = [['drop-mid-upload', '503'], ['drop-after-stored'], ['429', '502-html'], []];

function decide(): (method: string, path: string) => Fault {
  const tries = new Map<string, number>();
  return (method, pathname) => {
    const key = `${method} ${pathname}`;
    const attempt = (tries.get(key) ?? 0) + 1;
    tries.set(key, attempt);
    const batch = /\/batches\/(\d+)$/.exec(pathname);
    if (batch) return BATCH_FAULTS[Number(batch[1]) % BATCH_FAULTS.length]![attempt - 1] ?? 'pass';
    if (pathname.endsWith('/events')) return '502-html';
    if (method === 'POST' && pathname === '/v1/imports') return attempt === 1 ? '503' : 'pass';
    if (pathname.endsWith('/complete')) return attempt === 1 ? 'drop-after-stored' : 'pass';
    if (method === 'GET' && /^\/v1\/imports\/[0-9a-f-]+$/.test(pathname)) return attempt % 3 === 1 ? 'drop-mid-upload' : 'pass';
    return 'pass';
  };
}

test('connections dropped and 503s mid-upload: exact counts, no duplicates', { timeout: 60_000 }, async () => {
  const { token, practiceId } = await createSource(t.db);
  const dir = path.join(tmp, 'export');
  await writeGeneratedExport(dir, { clients: 300, seed: 31, invalidRate: 0.03 });
  proxy = await startProxy(t.url, decide());

  const retries: RetryInfo[] = [];
  const client = createApiClient({ server: proxy.url, token, retry: { baseMs: 20, maxMs: 200 }, onRetry: (r) => retries.push(r) });
  const result = await sendExport(client, readExport(await findExportFiles(dir)), {
    stateFile: path.join(tmp, 'state.json'),
    maxBatchBytes: 40_000,
    concurrency: 3,
    gzip: true, // replays must match what the server stored, which is the decoded body
  });
  const modes: string[] = [];
  const view = await follow(client, result.importId, {
    pollMs: 100,
    onMode: (mode) => modes.push(mode),
    signal: AbortSignal.timeout(30_000),
  });

  assert.ok(result.batchCount >= 12, `only ${result.batchCount} batches`);
  assert.deepEqual(modes, ['polling'], 'the broken event stream falls back to polling');
  assert.deepEqual(countsOf(view), await expectedCounts(dir));
  // Answers lost after the server stored a batch were replayed with the same bytes: 200, never a second copy.
  assert.ok(result.batches.replayed >= 3, `replayed ${result.batches.replayed}`);
  assert.equal(result.batches.stored + result.batches.replayed, result.batchCount);
  for (const status of [null, 503, 429, 502])
    assert.ok(
      retries.some((r) => r.status === status),
      `no retry after ${status}`,
    );
  const honoured = retries.filter((r) => r.status === 503 || r.status === 429);
  assert.ok(
    honoured.every((r) => r.waitMs >= 1000),
    `Retry-After is honoured: ${honoured.map((r) => r.waitMs).join(', ')}`,
  );

  const db = await t.db.query(
    `SELECT (SELECT count(*) FROM batches WHERE import_id = $1)::int AS batches,
            (SELECT count(*) FROM clients WHERE practice_id = $2)::int AS clients,
            (SELECT count(*) FROM contacts WHERE practice_id = $2)::int AS contacts,
            (SELECT count(*) FROM addresses WHERE practice_id = $2)::int AS addresses,
            (SELECT count(*) FROM imports WHERE practice_id = $2)::int AS imports`,
    [result.importId, practiceId],
  );
  const imported = countsOf(view);
  assert.deepEqual(db.rows[0], {
    batches: result.batchCount,
    clients: imported['clients']![1],
    contacts: imported['contacts']![1],
    addresses: imported['addresses']![1],
    imports: 1, // the 503 to the first POST came from the proxy: the retried start made the one import
  } as Record<string, number>);

  const errorFile = path.join(tmp, 'errors.csv');
  await client.downloadErrors(result.importId, errorFile);
  const { actual, expected } = await errorRowsOf(errorFile, path.join(dir, 'expected-errors.csv'));
  assert.deepEqual(actual, expected);
});
