// A batch in two steps. Holding, in the caller's transaction (which holds the import as receiving): the batch row
// with its bytes (written while an intake thread checks them) and receipt, and the import's received counts — all
// or nothing, and what the 202 waits for. Then staging, in a transaction of its own: the COPY of its staged rows,
// links and errors, started as soon as the batch is held (in this process, while the sender uploads the next) and
// awaited by `complete`. A batch still held when processing starts (the server was killed after the 202, or
// completed elsewhere) is staged from its bytes by processing (stageHeldBatches).
import { copyRows } from '../db/copy.ts';
import { allowBulkStatements, type Db, type Tx } from '../db/pool.ts';
import { asOwner, withPracticeWrite } from '../db/tenant.ts';
import { addReceivedCounts, claimHeldBatch, heldBatchNumbers, heldBody, setBatchReceipt } from './batch.sql.ts';
import type { PreparedBatch } from './intake-pool.ts';
import type { BatchSummary, CopyPart } from './prepare-batch.ts';

/** Completes the hold, in the transaction that inserted its bytes (insertHeldBytes): its receipt and the import's counts. */
export async function holdReceipt(tx: Tx, importId: string, batchNo: number, prepared: BatchSummary, receipt: unknown): Promise<void> {
  await setBatchReceipt(tx, { importId, batchNo, type: prepared.type, recordCount: prepared.received, receipt });
  await addReceivedCounts(tx, importId, prepared.type, prepared.received, prepared.invalid);
}

/**
 * Stages a held batch from its COPY text, one COPY a part (~1 MB) as the parts come; nothing when it was staged
 * already or its import was cancelled. A practice write like the hold; the COPY runs as the owner, as it did in the
 * hold's transaction before: PostgreSQL refuses COPY FROM into a table whose row security applies to the role
 * (SPEC §8), and the rows are the ones intake made of a batch the writer role held for the practice's own import.
 */
async function stage(
  db: Db,
  practiceId: string,
  importId: string,
  batchNo: number,
  parts: Iterable<CopyPart> | AsyncIterable<CopyPart>,
): Promise<void> {
  await withPracticeWrite(db, practiceId, async (tx) => {
    if (!(await claimHeldBatch(tx, importId, batchNo))) return;
    await allowBulkStatements(tx);
    await asOwner(tx, async () => {
      for await (const part of parts) await copyRows(tx, part.table, part.columns, part.text);
    });
  });
}

/** Stagings started by this process and not yet finished, by import. */
const inFlight = new Map<string, Set<Promise<void>>>();

/**
 * Stages a just-held batch without keeping its sender waiting. A failure leaves the batch held, and processing
 * stages it from its bytes, so nothing is lost; the error is not the sender's to hear.
 */
export function stageInBackground(db: Db, practiceId: string, importId: string, batchNo: number, prepared: PreparedBatch): void {
  const running = stage(db, practiceId, importId, batchNo, prepared.copyParts)
    .catch(() => {})
    .finally(() => {
      const set = inFlight.get(importId)!;
      set.delete(running);
      if (set.size === 0) inFlight.delete(importId);
    });
  inFlight.set(importId, (inFlight.get(importId) ?? new Set()).add(running));
}

/** Resolves when every staging this process started has finished (a graceful shutdown waits for them). */
export async function allBackgroundStagingDone(): Promise<void> {
  await Promise.all([...inFlight.values()].flatMap((set) => [...set]));
}

/** Resolves when the stagings this process started for the import have finished (`complete` waits for them). */
export async function backgroundStagingDone(importId: string): Promise<void> {
  await Promise.all([...(inFlight.get(importId) ?? [])]);
}

/**
 * Stages every batch of the import still held, from its bytes: prepared again here (the checks depend on the
 * bytes alone), so this blocks the event loop for about a second a 10 MB batch — only after a crash or a
 * `complete` that reached another process than the uploads.
 */
export async function stageHeldBatches(db: Db, practiceId: string, importId: string): Promise<void> {
  for (const batchNo of await heldBatchNumbers(db, importId)) {
    const body = await heldBody(db, importId, batchNo);
    if (body === null) continue; // staged meanwhile
    // Loaded here, not at start: the checks' modules and the libraries they use (stdnum, libphonenumber-js,
    // validator, i18n-iso-countries) are the intake threads' otherwise, and would cost the main thread ~8 MB for good.
    const { checkBatch } = await import('./prepare-batch.ts');
    const checked = checkBatch(Buffer.from(body, 'utf8'), importId, batchNo);
    if (!checked.ok) throw new Error(`held batch ${batchNo} of import ${importId} no longer prepares: ${checked.failure.detail}`);
    await stage(db, practiceId, importId, batchNo, checked.value.copyParts());
  }
}
