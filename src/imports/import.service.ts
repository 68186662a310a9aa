// The life of an import up to processing: start (or start a retry), receive batches, complete.
import type { PgBoss } from 'pg-boss';
import { createHash } from 'node:crypto';
import type { RecordType } from '../contract/records.ts';
import { copyRows } from '../db/copy.ts';
import { withTransaction, type Db, type Queryable } from '../db/pool.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { parseBatch } from '../intake/parse-batch.ts';
import { contactLinkRows, ERROR_COLUMNS, errorRows, LINK_COLUMNS, stagedRows, stagingTable, type StagedRecord } from '../intake/stage-batch.ts';
import { checkers } from '../intake/validate-record.ts';
import { enqueueImport } from '../jobs/queue.ts';
import { importView, type ImportView } from '../reports/import-view.ts';
import { failedRefs } from './failed-refs.sql.ts';
import {
  addReceivedCounts,
  batchNumberGaps,
  insertBatch,
  insertImport,
  lockImportForBatch,
  lockImportForUpdate,
  markProcessing,
  selectBatch,
  selectImport,
  selectImports,
  type ImportFilter,
  type Scope,
} from './import.sql.ts';

/** A source product acts for one practice and one source. */
export interface SourceScope {
  practiceId: string;
  source: string;
}

export const RECEIPT_ERROR_LIMIT = 100;

export interface BatchReceipt {
  importId: string;
  batch: number;
  type: RecordType;
  sha256: string;
  bytes: number;
  receivedAt: string;
  records: { received: number; valid: number; invalid: number };
  /** The first RECEIPT_ERROR_LIMIT field errors; every one of them is in the import's error file. */
  errors: { position: number; ref: string | null; field: string; code: string; reason: string }[];
  errorsTruncated: boolean;
}

async function view(db: Queryable, scope: Scope, id: string): Promise<ImportView> {
  const row = await selectImport(db, scope, id);
  if (!row) throw new Error(`import ${id} vanished`);
  return importView(row);
}

export async function getImport(db: Queryable, scope: Scope, id: string): Promise<Outcome<ImportView>> {
  const row = await selectImport(db, scope, id);
  return row ? success(importView(row)) : fail('not_found', `There is no import ${id}.`);
}

export async function getFailedRefs(db: Queryable, scope: Scope, id: string): Promise<Outcome<Record<RecordType, string[]>>> {
  const row = await selectImport(db, scope, id);
  return row ? success(await failedRefs(db, { practiceId: row.practice_id, source: row.source }, id)) : fail('not_found', `There is no import ${id}.`);
}

export async function listImports(db: Queryable, scope: Scope, filter: ImportFilter): Promise<ImportView[]> {
  return (await selectImports(db, scope, filter)).map(importView);
}

export async function startImport(db: Db, scope: SourceScope, retryOf: string | null): Promise<Outcome<ImportView>> {
  return withTransaction(db, async (tx) => {
    let requested = null;
    if (retryOf !== null) {
      const original = await lockImportForUpdate(tx, scope, retryOf);
      if (!original) return fail('not_found', `There is no import ${retryOf} to retry.`);
      if (original.status !== 'completed') return fail('conflict', `Import ${retryOf} has not completed yet; only a completed import can be retried.`);
      requested = await failedRefs(tx, scope, retryOf);
    }
    const id = await insertImport(tx, scope, retryOf, requested);
    return success(await view(tx, scope, id));
  });
}

/** A retry of `retryOf` for its own source: asked by that source product or, on its behalf, by a practice user. */
export async function startRetry(db: Db, scope: Scope, retryOf: string): Promise<Outcome<ImportView>> {
  const original = await selectImport(db, scope, retryOf);
  if (!original) return fail('not_found', `There is no import ${retryOf} to retry.`);
  return startImport(db, { practiceId: original.practice_id, source: original.source }, retryOf);
}

export type BatchAnswer = { status: 'created' | 'replayed'; receipt: BatchReceipt };

export async function receiveBatch(db: Db, scope: SourceScope, importId: string, batchNo: number, body: Buffer): Promise<Outcome<BatchAnswer>> {
  const digest = createHash('sha256').update(body).digest();
  // A network retry of a stored batch is answered before any parsing.
  const earlier = await checkEarlierBatch(db, scope, importId, batchNo, digest);
  if (earlier) return earlier;

  const parsed = parseBatch(body);
  if (!parsed.ok) return parsed;
  const { type, records } = parsed.value;
  const check = checkers[type];
  const staged: StagedRecord[] = records.map((raw, index) => ({ pos: index + 1, checked: check(raw), raw }));
  const invalid = staged.filter((r) => r.checked.errors.length > 0);
  const errors = invalid.flatMap((r) => r.checked.errors.map((e) => ({ position: r.pos, ref: r.checked.values.ref, field: e.field, code: e.code, reason: e.reason })));
  const receipt: BatchReceipt = {
    importId,
    batch: batchNo,
    type,
    sha256: digest.toString('hex'),
    bytes: body.length,
    receivedAt: new Date().toISOString(),
    records: { received: staged.length, valid: staged.length - invalid.length, invalid: invalid.length },
    errors: errors.slice(0, RECEIPT_ERROR_LIMIT),
    errorsTruncated: errors.length > RECEIPT_ERROR_LIMIT,
  };

  return withTransaction(db, async (tx) => {
    const target = await lockImportForBatch(tx, scope, importId);
    if (!target) return fail('not_found', `There is no import ${importId}.`);
    if (target.status !== 'receiving') return fail('conflict', `Import ${importId} is ${target.status}; it takes no more batches.`);
    if (!(await insertBatch(tx, { importId, batchNo, type, sha256: digest, byteSize: body.length, recordCount: staged.length, receipt }))) {
      // Another request stored this number first (we waited for it on the unique key): answer as a replay.
      return (await checkEarlierBatch(tx, scope, importId, batchNo, digest)) ?? fail('conflict', `Batch ${batchNo} is already stored.`);
    }
    const { table, columns } = stagingTable(type);
    await copyRows(tx, table, columns, stagedRows(importId, batchNo, type, staged));
    if (type === 'contacts') await copyRows(tx, 'staged_contact_links', LINK_COLUMNS, contactLinkRows(importId, batchNo, staged));
    if (invalid.length > 0) await copyRows(tx, 'record_errors', ERROR_COLUMNS, errorRows(importId, batchNo, type, invalid));
    await addReceivedCounts(tx, importId, type, staged.length, invalid.length);
    return success({ status: 'created' as const, receipt });
  });
}

async function checkEarlierBatch(db: Queryable, scope: Scope, importId: string, batchNo: number, digest: Buffer): Promise<Outcome<BatchAnswer> | null> {
  const earlier = await selectBatch(db, importId, batchNo);
  if (!earlier) return null;
  // Check the import belongs to the caller before revealing anything about its batches.
  const target = await selectImport(db, scope, importId);
  if (!target) return fail('not_found', `There is no import ${importId}.`);
  if (target.status !== 'receiving') return fail('conflict', `Import ${importId} is ${target.status}; it takes no more batches.`);
  if (!earlier.sha256.equals(digest)) {
    return fail('conflict', `Batch ${batchNo} was already received with different content; the first one stands.`);
  }
  return success({ status: 'replayed', receipt: earlier.receipt as BatchReceipt });
}

export async function completeImport(db: Db, boss: PgBoss, scope: SourceScope, importId: string, batchCount: number): Promise<Outcome<ImportView>> {
  return withTransaction(db, async (tx) => {
    const target = await lockImportForUpdate(tx, scope, importId);
    if (!target) return fail('not_found', `There is no import ${importId}.`);
    if (target.status !== 'receiving') {
      // A network retry of the same `complete` is answered like the first one.
      if (target.expected_batches === batchCount) return success(await view(tx, scope, importId));
      return fail('conflict', `Import ${importId} was already completed with batchCount ${target.expected_batches}.`);
    }
    const { missing, extra } = await batchNumberGaps(tx, importId, batchCount);
    if (missing.length > 0) {
      return fail('conflict', `Batches ${summarise(missing)} of 1..${batchCount} have not been received.`, { missing });
    }
    if (extra.length > 0) {
      return fail('conflict', `Batches ${summarise(extra)} were received beyond batchCount ${batchCount}.`, { extra });
    }
    await markProcessing(tx, importId, batchCount);
    await enqueueImport(boss, tx, importId);
    return success(await view(tx, scope, importId));
  });
}

function summarise(numbers: number[]): string {
  return numbers.length > 10 ? `${numbers.slice(0, 10).join(', ')} and ${numbers.length - 10} more` : numbers.join(', ');
}
