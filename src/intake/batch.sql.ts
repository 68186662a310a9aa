// Statements on a received batch: its row (the receipt, the digest a replay is compared with and, until it is
// staged, its bytes) and the import's received counts, written in the transaction that answers the upload; then
// the claim of a held batch by the transaction that stages it (stage-batch.ts).
import type { RecordType } from '../contract/records.ts';
import { binaryInt4, copyBinaryRow } from '../db/copy.ts';
import type { Queryable, Tx } from '../db/pool.ts';
import { asOwner } from '../db/tenant.ts';

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

export interface HeldBytes {
  importId: string;
  batchNo: number;
  sha256: Buffer;
  /**
   * The body's bytes (valid UTF-8 JSON, so text without NUL: PostgreSQL checks, and refuses others), held until the
   * batch is staged. Written as they are (binary COPY: text is its UTF-8), never decoded to a string and encoded
   * again, nor copied into a query parameter, on the acknowledgement's path.
   */
  body: Uint8Array;
}

const HELD_COLUMNS = ['import_id', 'batch_no', 'record_type', 'sha256', 'byte_size', 'record_count', 'receipt', 'body'];
const EMPTY_TEXT = Buffer.alloc(0);
const JSONB_NULL = Buffer.from('\x01null', 'latin1'); // binary jsonb: format version 1, then the text

/**
 * Inserts the batch row with its bytes, while its intake thread still checks them; false when that number is
 * already taken (then nothing of the batch is written). Its type, count and receipt are set by setBatchReceipt in
 * the same transaction, so no other transaction ever sees the row without them. A COPY of one row, as the owner:
 * PostgreSQL refuses COPY FROM under row security (SPEC §8), and the caller holds this import, of its practice,
 * locked (lockImportForBatch). COPY has no ON CONFLICT, so a number taken meanwhile (the unique key waits for the
 * other transaction) rolls back to a savepoint instead.
 */
export async function insertHeldBytes(tx: Tx, batch: HeldBytes): Promise<boolean> {
  await tx.query('SAVEPOINT hold');
  try {
    await asOwner(tx, () =>
      copyBinaryRow(tx, 'batches', HELD_COLUMNS, [
        Buffer.from(batch.importId.replaceAll('-', ''), 'hex'),
        binaryInt4(batch.batchNo),
        EMPTY_TEXT,
        batch.sha256,
        binaryInt4(batch.body.length),
        binaryInt4(0),
        JSONB_NULL,
        batch.body,
      ]),
    );
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await tx.query('ROLLBACK TO SAVEPOINT hold');
    return false;
  }
  await tx.query('RELEASE SAVEPOINT hold');
  return true;
}

export interface BatchReceiptRow {
  importId: string;
  batchNo: number;
  type: RecordType;
  recordCount: number;
  receipt: unknown;
}

/** The checked batch's type, record count and receipt, on the row insertHeldBytes wrote (its bytes stay as they are). */
export async function setBatchReceipt(db: Queryable, batch: BatchReceiptRow): Promise<void> {
  await db.query('UPDATE batches SET record_type = $3, record_count = $4, receipt = $5 WHERE import_id = $1 AND batch_no = $2', [
    batch.importId,
    batch.batchNo,
    batch.type,
    batch.recordCount,
    JSON.stringify(batch.receipt),
  ]);
}

/**
 * Claims a held batch for staging in the caller's transaction: marks it staged and drops its bytes. False when it
 * is staged already (by another process: the row lock makes the later one wait, then find nothing) or its import
 * takes no staging any more (cancelled or expired; FOR SHARE waits for a cancel in progress).
 */
export async function claimHeldBatch(db: Queryable, importId: string, batchNo: number): Promise<boolean> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM imports WHERE id = $1 FOR SHARE', [importId]);
  if (rows[0]?.status !== 'receiving' && rows[0]?.status !== 'processing') return false;
  const { rowCount } = await db.query(
    'UPDATE batches SET staged_at = now(), body = NULL WHERE import_id = $1 AND batch_no = $2 AND staged_at IS NULL',
    [importId, batchNo],
  );
  return rowCount === 1;
}

/** Numbers of the import's batches still held (not staged). */
export async function heldBatchNumbers(db: Queryable, importId: string): Promise<number[]> {
  const { rows } = await db.query<{ batch_no: number }>(
    'SELECT batch_no FROM batches WHERE import_id = $1 AND staged_at IS NULL ORDER BY batch_no',
    [importId],
  );
  return rows.map((r) => r.batch_no);
}

export async function heldBody(db: Queryable, importId: string, batchNo: number): Promise<string | null> {
  const { rows } = await db.query<{ body: string | null }>('SELECT body FROM batches WHERE import_id = $1 AND batch_no = $2', [
    importId,
    batchNo,
  ]);
  return rows[0]?.body ?? null;
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
