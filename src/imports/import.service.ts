// The life of an import up to processing: start (or start a retry), receive batches, complete.
import { createHash } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { BatchReceipt, ImportView, RefLists } from '../contract/imports.contract.ts';
import { lockSourceImportStarts } from '../db/advisory-locks.sql.ts';
import type { Db, Queryable } from '../db/pool.ts';
import { asOwner, withPractice, withPracticeWrite } from '../db/tenant.ts';
import { fail, success, type Failure, type Outcome } from '../domain/outcome.ts';
import type { IntakePool, PreparedBatch } from '../intake/intake-pool.ts';
import { insertHeldBytes, selectBatch } from '../intake/batch.sql.ts';
import { backgroundStagingDone, holdReceipt, stageInBackground } from '../intake/stage-batch.ts';
import { enqueueImport } from '../db/queue.ts';
import { importView } from './import-view.ts';
import { failedRefs } from './failed-refs.sql.ts';
import { enterQueued } from './import-lifecycle.sql.ts';
import {
  batchNumberGaps,
  insertImport,
  lockImportForBatch,
  lockImportForUpdate,
  selectImport,
  selectImportByKey,
  selectImports,
  countReceivingImports,
  selectOpenRetry,
  type ImportFilter,
} from './import.sql.ts';
import type { Scope, SourceScope } from '../domain/scope.ts';

async function view(db: Queryable, scope: Scope, id: string): Promise<ImportView> {
  const row = await selectImport(db, scope, id);
  if (!row) throw new Error(`import ${id} vanished`);
  return importView(row);
}

export async function getImport(db: Queryable, scope: Scope, id: string): Promise<Outcome<ImportView>> {
  const row = await selectImport(db, scope, id);
  return row ? success(importView(row)) : fail('not_found', `There is no import ${id}.`);
}

export async function getFailedRefs(db: Queryable, scope: Scope, id: string): Promise<Outcome<RefLists>> {
  const row = await selectImport(db, scope, id);
  return row
    ? success(await failedRefs(db, { practiceId: row.practice_id, source: row.source }, id))
    : fail('not_found', `There is no import ${id}.`);
}

export async function listImports(db: Queryable, scope: Scope, filter: ImportFilter): Promise<ImportView[]> {
  return (await selectImports(db, scope, filter)).map(importView);
}

export type Started = { replayed: boolean; view: ImportView };

/**
 * A source may hold at most this many imports open (receiving) at once: each holds staged records until it is
 * completed, cancelled or expires, and a sender that starts imports in a loop must be told at once, not each time.
 */
export const MAX_RECEIVING_IMPORTS_PER_SOURCE = 20;

/**
 * Starts an import, or a retry of a completed one (asking for the refs failing at this moment), or a dry run
 * (SPEC §10: processed in full, nothing written). With an idempotency key, the same key again answers with the
 * import it started (`replayed`), and a different request under that key is refused. A retry is never a dry run:
 * it asks the source for the records that really failed, and its success is what makes them stop failing; a
 * dry run of the corrected export is the way to preview one.
 */
export async function startImport(
  db: Db,
  scope: SourceScope,
  retryOf: string | null,
  idempotencyKey: string | null = null,
  startedByUser: string | null = null,
  dryRun = false,
): Promise<Outcome<Started>> {
  if (dryRun && retryOf !== null) return fail('invalid', 'A retry cannot be a dry run: start a dry run of the corrected export instead.');
  return withPracticeWrite(db, scope.practiceId, async (tx) => {
    const replay = async (): Promise<Outcome<Started> | null> => {
      const earlier = idempotencyKey === null ? null : await selectImportByKey(tx, scope, idempotencyKey);
      if (!earlier) return null;
      if (earlier.retry_of !== retryOf || earlier.dry_run !== dryRun) {
        return fail('conflict', `The Idempotency-Key was used for another request (import ${earlier.id}); use a new key.`, {
          code: 'idempotency_key_reused',
        });
      }
      return success({ replayed: true, view: await view(tx, scope, earlier.id) });
    };
    const earlier = await replay();
    if (earlier) return earlier;
    // Starts of one practice and source take turns from here, so the checks below hold for concurrent requests.
    await lockSourceImportStarts(tx, scope);
    const open = await countReceivingImports(tx, scope);
    if (open >= MAX_RECEIVING_IMPORTS_PER_SOURCE) {
      return fail(
        'conflict',
        `${open} imports from ${scope.source} are still receiving batches; complete or cancel one of them before starting another.`,
        { code: 'too_many_open_imports' },
      );
    }
    let requested = null;
    if (retryOf !== null) {
      const original = await lockImportForUpdate(tx, scope, retryOf);
      if (!original) return fail('not_found', `There is no import ${retryOf} to retry.`);
      if (original.dry_run) {
        return fail(
          'conflict',
          `Import ${retryOf} is a dry run: it wrote nothing, so there is nothing to retry; send the export for real.`,
          {
            code: 'dry_run',
          },
        );
      }
      if (original.status !== 'completed') {
        return fail('conflict', `Import ${retryOf} has not completed yet; only a completed import can be retried.`, {
          code: 'import_not_completed',
        });
      }
      const openRetry = await selectOpenRetry(tx, retryOf);
      if (openRetry !== null) {
        return fail('conflict', `Import ${retryOf} already has a retry in progress (${openRetry}); finish or cancel it first.`, {
          code: 'retry_already_open',
          retry: openRetry,
        });
      }
      requested = await failedRefs(tx, scope, retryOf);
      if (Object.values(requested).every((refs) => refs.length === 0)) {
        return fail('conflict', `Import ${retryOf} has nothing left to retry: every record that failed has been imported since.`, {
          code: 'nothing_to_retry',
        });
      }
    }
    const id = await insertImport(tx, scope, {
      kind: retryOf === null ? 'import' : 'retry',
      retryOf,
      requested,
      dryRun,
      idempotencyKey,
      startedByUser,
    });
    // null: a concurrent request with the same key inserted first (we waited for it on the unique index).
    if (id === null) return (await replay()) ?? fail('conflict', 'The Idempotency-Key is in use.', { code: 'idempotency_key_reused' });
    return success({ replayed: false, view: await view(tx, scope, id) });
  });
}

/** A retry of `retryOf` for its own source: asked by that source product or, on its behalf, by a practice user. */
export async function startRetry(
  db: Db,
  scope: Scope & { userId: string | null },
  retryOf: string,
  idempotencyKey: string | null = null,
): Promise<Outcome<Started>> {
  const original = await withPractice(db, scope.practiceId, (tx) => selectImport(tx, scope, retryOf));
  if (!original) return fail('not_found', `There is no import ${retryOf} to retry.`);
  return startImport(db, { practiceId: original.practice_id, source: original.source }, retryOf, idempotencyKey, scope.userId);
}

export type BatchAnswer = { status: 'created' | 'replayed'; receipt: BatchReceipt };

export async function receiveBatch(
  db: Db,
  intake: IntakePool,
  scope: SourceScope,
  importId: string,
  batchNo: number,
  body: Buffer,
): Promise<Outcome<BatchAnswer>> {
  const digest = createHash('sha256').update(body).digest();
  const bytes = body.length;
  // A network retry of a stored batch is answered before any parsing.
  const earlier = await withPractice(db, scope.practiceId, (tx) => checkEarlierBatch(tx, scope, importId, batchNo, digest));
  if (earlier) return earlier;

  // The body moves to an intake thread to be checked, and meanwhile its bytes go to the database: the 10 MB write
  // (its TOAST rows and WAL, 150–200 ms of a 202 when it followed the checks) overlaps the parse, and what is left
  // after the checks is the receipt, the counts and the commit. The import stays locked FOR SHARE while the batch is
  // checked, so a cancel waits for it, as it waited for the write.
  const checking = intake.prepare(body, importId, batchNo);
  checking.catch(() => {}); // awaited in the transaction below, however it ends
  let held: PreparedBatch | undefined;
  const answer = await withPracticeWrite(db, scope.practiceId, async (tx): Promise<Outcome<BatchAnswer>> => {
    // A batch that does not check is refused whatever else is wrong, as when it was checked before this transaction.
    const refusedOr = async (refusal: Outcome<BatchAnswer>) => {
      const checked = await checking;
      return checked.ok ? refusal : checked;
    };
    const target = await lockImportForBatch(tx, scope, importId);
    if (!target) return refusedOr(fail('not_found', `There is no import ${importId}.`));
    if (target.status !== 'receiving')
      return refusedOr(
        fail('conflict', `Import ${importId} is ${target.status}; it takes no more batches.`, { code: 'import_not_receiving' }),
      );
    if (!(await insertHeldBytes(tx, { importId, batchNo, sha256: digest, body }))) {
      // Another request stored this number first (we waited for it on the unique key): answer as a replay.
      return refusedOr(
        (await checkEarlierBatch(tx, scope, importId, batchNo, digest)) ??
          fail('conflict', `Batch ${batchNo} is already stored.`, { code: 'batch_content_differs' }),
      );
    }
    const checked = await checking;
    // Nothing of a refused batch stays: its bytes go with the transaction.
    if (!checked.ok) throw new Refused(checked.failure);
    const batch = checked.value;
    const receipt: BatchReceipt = {
      importId,
      batch: batchNo,
      type: batch.type,
      sha256: digest.toString('hex'),
      bytes,
      receivedAt: new Date().toISOString(),
      records: { received: batch.received, valid: batch.received - batch.invalid, invalid: batch.invalid },
      errors: batch.errors,
      errorsTruncated: batch.errorsTruncated,
    };
    await holdReceipt(tx, importId, batchNo, batch, receipt);
    held = batch;
    return success({ status: 'created' as const, receipt });
  }).catch(async (error: unknown) => {
    if (error instanceof Refused) return { ok: false as const, failure: error.failure };
    // Bytes PostgreSQL refuses as text (invalid UTF-8, a NUL) are a batch that does not check: its 400, not a 500.
    const checked = await checking;
    if (!checked.ok) return checked;
    throw error;
  });
  // Held durably from here; its typed rows are written (their COPY text still being made) while the sender sends
  // the next batch. An answer that held nothing leaves the parts unread; they go when the thread closes its port.
  if (held) stageInBackground(db, scope.practiceId, importId, batchNo, held);
  return answer;
}

/** A batch that did not check, thrown to roll back the transaction that was holding its bytes. */
class Refused extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.detail);
    this.failure = failure;
  }
}

async function checkEarlierBatch(
  db: Queryable,
  scope: Scope,
  importId: string,
  batchNo: number,
  digest: Buffer,
): Promise<Outcome<BatchAnswer> | null> {
  const earlier = await selectBatch(db, importId, batchNo);
  if (!earlier) return null;
  // Check the import belongs to the caller before revealing anything about its batches.
  const target = await selectImport(db, scope, importId);
  if (!target) return fail('not_found', `There is no import ${importId}.`);
  if (target.status !== 'receiving')
    return fail('conflict', `Import ${importId} is ${target.status}; it takes no more batches.`, { code: 'import_not_receiving' });
  if (!earlier.sha256.equals(digest)) {
    return fail('conflict', `Batch ${batchNo} was already received with different content; the first one stands.`, {
      code: 'batch_content_differs',
    });
  }
  return success({ status: 'replayed', receipt: earlier.receipt as BatchReceipt });
}

export async function completeImport(
  db: Db,
  boss: PgBoss,
  scope: SourceScope,
  importId: string,
  batchCount: number,
): Promise<Outcome<ImportView>> {
  // The batches this process is still staging go in first, so processing finds them staged (not only held).
  await backgroundStagingDone(importId);
  return withPracticeWrite(db, scope.practiceId, async (tx) => {
    const target = await lockImportForUpdate(tx, scope, importId);
    if (!target) return fail('not_found', `There is no import ${importId}.`);
    if (target.status === 'cancelled') {
      return fail('conflict', `Import ${importId} was cancelled; it cannot be completed.`, { code: 'import_not_receiving' });
    }
    if (target.status !== 'receiving') {
      // A network retry of the same `complete` is answered like the first one.
      if (target.expected_batches === batchCount) return success(await view(tx, scope, importId));
      return fail('conflict', `Import ${importId} was already completed with batchCount ${target.expected_batches}.`, {
        code: 'import_completed_differently',
      });
    }
    const { missing, extra } = await batchNumberGaps(tx, importId, batchCount);
    if (missing.length > 0) {
      return fail('conflict', `Batches ${summarise(missing)} of 1..${batchCount} have not been received.`, {
        code: 'batches_missing',
        missing,
      });
    }
    if (extra.length > 0) {
      return fail('conflict', `Batches ${summarise(extra)} were received beyond batchCount ${batchCount}.`, {
        code: 'batches_beyond_count',
        extra,
      });
    }
    await enterQueued(tx, importId, batchCount);
    // pg-boss's job table is the queue, not a tenant table: the job is sent as the owner, in this transaction.
    await asOwner(tx, () => enqueueImport(boss, tx, importId));
    return success(await view(tx, scope, importId));
  });
}

function summarise(numbers: number[]): string {
  return numbers.length > 10 ? `${numbers.slice(0, 10).join(', ')} and ${numbers.length - 10} more` : numbers.join(', ');
}
