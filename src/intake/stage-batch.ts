// Staging a prepared batch, in the caller's transaction (which holds the import as receiving): the batch row, the
// COPY of its staged rows, links and errors, and the import's received counts — all or nothing.
import { copyRows } from '../db/copy.ts';
import { allowBulkStatements, type Tx } from '../db/pool.ts';
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
  for (const copy of prepared.copies) await copyRows(tx, copy.table, copy.columns, copy.text);
  await addReceivedCounts(tx, importId, prepared.type, prepared.received, prepared.invalid);
  return true;
}
