// Everything intake does to a batch before the database: hash, parse, validate every record, build the receipt and
// the COPY text of its staged rows, links and errors. Pure CPU work, so it runs in intake threads
// (intake-pool.ts) and two batches use two cores instead of taking turns on the event loop.
import { createHash } from 'node:crypto';
import type { ReceiptError } from '../contract/imports.contract.ts';
import type { RecordType } from '../contract/records.ts';
import { copyText } from '../db/copy.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { parseBatch } from './parse-batch.ts';
import { contactLinkRows, errorRows, stagedRows, type StagedRecord } from './staged-rows.ts';
import { CONTACT_LINKS, RECORD_ERRORS, STAGING, stagedColumns } from './staging-catalogue.ts';
import { checkers } from './validate-record.ts';

export const RECEIPT_ERROR_LIMIT = 100;
/**
 * The most field errors one batch may carry. Every error is held in an intake thread's memory until it is COPYed,
 * and a 10 MB body can ask for millions (32,000 contacts of 100 empty links each), which would run the thread out
 * of memory. 600,000 is what 100,000 records of the widest type missing every required field give: no export that
 * means what it says gets near it, and a batch past it is refused whole (400), nothing stored.
 */
export const BATCH_ERROR_LIMIT = 600_000;

export interface PreparedCopy {
  table: string;
  columns: readonly string[];
  text: string[];
}

export interface PreparedBatch {
  type: RecordType;
  received: number;
  invalid: number;
  /** The first RECEIPT_ERROR_LIMIT field errors, and whether there were more. */
  errors: ReceiptError[];
  errorsTruncated: boolean;
  copies: PreparedCopy[];
}

export function digestOf(body: Uint8Array): Buffer {
  return createHash('sha256').update(body).digest();
}

/**
 * Prepares the records at positions part+1, part+1+parts, … of a batch: with `parts` threads each taking its share,
 * one batch's validation (phone numbers above all, ~10–20 µs each) is spread over the cores. Parsing is repeated
 * per part; it is a small share of the work (~60 ms for 10 MB).
 */
export function prepareBatch(body: Uint8Array, importId: string, batchNo: number, part = 0, parts = 1): Outcome<PreparedBatch> {
  const parsed = parseBatch(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  if (!parsed.ok) return parsed;
  const { type, records } = parsed.value;
  const check = checkers[type];
  const staged: StagedRecord[] = [];
  // Each part counts its own share of the limit, so the parts together never hold more than the limit.
  const partLimit = Math.ceil(BATCH_ERROR_LIMIT / parts);
  let fieldErrors = 0;
  for (let index = part; index < records.length; index += parts) {
    const checked = check(records[index]);
    fieldErrors += checked.errors.length;
    if (fieldErrors > partLimit) {
      return fail(
        'invalid',
        `The batch has more than ${BATCH_ERROR_LIMIT.toLocaleString('en-GB')} failing fields; check the names and shapes of the export's fields, and send it again.`,
        { code: 'too_many_errors' },
      );
    }
    staged.push({ pos: index + 1, checked, raw: records[index] });
  }
  const invalid = staged.filter((r) => r.checked.errors.length > 0);
  const errors: ReceiptError[] = [];
  let errorCount = 0;
  for (const r of invalid) {
    for (const e of r.checked.errors) {
      if (errorCount++ < RECEIPT_ERROR_LIMIT)
        errors.push({ position: r.pos, ref: r.checked.values.ref, field: e.field, code: e.code, reason: e.reason });
    }
  }
  const copies: PreparedCopy[] = [
    { table: STAGING[type].table, columns: stagedColumns(type), text: [...copyText(stagedRows(importId, batchNo, type, staged))] },
  ];
  if (type === 'contacts') copies.push({ ...CONTACT_LINKS, text: [...copyText(contactLinkRows(importId, batchNo, staged))] });
  if (invalid.length > 0) copies.push({ ...RECORD_ERRORS, text: [...copyText(errorRows(importId, batchNo, type, invalid))] });
  return success({
    type,
    received: staged.length,
    invalid: invalid.length,
    errors,
    errorsTruncated: errorCount > RECEIPT_ERROR_LIMIT,
    copies,
  });
}
