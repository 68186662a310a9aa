// Statements on a received batch: its row (the receipt and the digest a replay is compared with) and the import's
// received counts, written in the transaction that COPYs its staged rows (stage-batch.ts).
import type { RecordType } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';

export interface BatchRow {
  sha256: Buffer;
  receipt: unknown;
}

export async function selectBatch(db: Queryable, importId: string, batchNo: number): Promise<BatchRow | null> {
  const { rows } = await db.query<BatchRow>('SELECT sha256, receipt FROM batches WHERE import_id = $1 AND batch_no = $2', [
    importId,
    batchNo,
  ]);
  return rows[0] ?? null;
}

export interface NewBatch {
  importId: string;
  batchNo: number;
  type: RecordType;
  sha256: Buffer;
  byteSize: number;
  recordCount: number;
  receipt: unknown;
}

/** Inserts the batch row; false when that number is already taken (then nothing else of the batch is written). */
export async function insertBatch(db: Queryable, batch: NewBatch): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO batches (import_id, batch_no, record_type, sha256, byte_size, record_count, receipt)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (import_id, batch_no) DO NOTHING`,
    [batch.importId, batch.batchNo, batch.type, batch.sha256, batch.byteSize, batch.recordCount, JSON.stringify(batch.receipt)],
  );
  return rowCount === 1;
}

export async function addReceivedCounts(
  db: Queryable,
  importId: string,
  type: RecordType,
  received: number,
  invalid: number,
): Promise<void> {
  await db.query('UPDATE import_counts SET received = received + $3, invalid = invalid + $4 WHERE import_id = $1 AND record_type = $2', [
    importId,
    type,
    received,
    invalid,
  ]);
}
