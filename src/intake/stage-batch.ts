// Staging a prepared batch, in the caller's practice write (which holds the import as receiving): the batch row, the
// COPY of its staged rows, links and errors, and the import's received counts — all or nothing.
import { copyRows } from '../db/copy.ts';
import { allowBulkStatements, type Tx } from '../db/pool.ts';
import { asOwner } from '../db/tenant.ts';
import { addReceivedCounts, insertBatch } from './batch.sql.ts';
import type { PreparedBatch } from './prepare-batch.ts';

export interface BatchToStage {
  importId: string;
  batchNo: number;
  sha256: Buffer;
  byteSize: number;
  prepared: PreparedBatch;
  receipt: unknown;
}

/** False when the batch number is already taken (by a concurrent request); then nothing is written. */
export async function stageBatch(tx: Tx, { importId, batchNo, sha256, byteSize, prepared, receipt }: BatchToStage): Promise<boolean> {
  const stored = await insertBatch(tx, {
    importId,
    batchNo,
    type: prepared.type,
    sha256,
    byteSize,
    recordCount: prepared.received,
    receipt,
  });
  if (!stored) return false;
  await allowBulkStatements(tx);
  // PostgreSQL refuses COPY FROM into a table whose row security applies to the role (SPEC §8): the staged rows,
  // links and errors are copied as the owner. The import was locked by the writer role above, so it is the
  // practice's own; the rows are the ones intake made of this batch for this import.
  await asOwner(tx, async () => {
    for (const copy of prepared.copies) await copyRows(tx, copy.table, copy.columns, copy.text);
  });
  await addReceivedCounts(tx, importId, prepared.type, prepared.received, prepared.invalid);
  return true;
}
