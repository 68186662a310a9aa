// Everything intake does to a batch before the database, in two parts. Checking (what the 202 waits for): hash,
// parse, validate every record, the receipt's counts and first errors. Then the COPY text of its staged rows, links
// and errors (what staging writes, after the 202). Pure CPU work, so both run in an intake thread (intake-pool.ts).
import type { ReceiptError } from '../contract/imports.contract.ts';
import type { RecordType } from '../contract/records.ts';
import { copyText, type CopyValue } from '../db/copy.ts';
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

/** What the receipt says of a batch. */
export interface BatchSummary {
  type: RecordType;
  received: number;
  invalid: number;
  /** The first RECEIPT_ERROR_LIMIT field errors, and whether there were more. */
  errors: ReceiptError[];
  errorsTruncated: boolean;
}

/**
 * About 1 MB of COPY text for one staging table: staging COPYs each as it comes. An intake thread sends it as its
 * UTF-8 bytes (intake.worker.ts), which move to the main thread without a copy; a string would be copied across.
 */
export interface CopyPart {
  table: string;
  columns: readonly string[];
  text: string | Uint8Array;
}

/** A part as checkBatch makes it, before an intake thread encodes it. */
export interface TextCopyPart extends CopyPart {
  text: string;
}

export interface CheckedBatch {
  summary: BatchSummary;
  /** The COPY text of the batch's staged rows, then its contacts' links, then its field errors. */
  copyParts(): Generator<TextCopyPart>;
}

function* partsOf(table: string, columns: readonly string[], rows: Iterable<CopyValue[]>): Generator<TextCopyPart> {
  for (const text of copyText(rows)) yield { table, columns, text };
}

/** Parses the batch once and checks every record; the COPY text is made only when copyParts() is read. */
export function checkBatch(body: Uint8Array, importId: string, batchNo: number): Outcome<CheckedBatch> {
  const parsed = parseBatch(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  if (!parsed.ok) return parsed;
  const { type, records } = parsed.value;
  const check = checkers[type];
  const staged: StagedRecord[] = [];
  const invalid: StagedRecord[] = [];
  const errors: ReceiptError[] = [];
  let fieldErrors = 0;
  for (let index = 0; index < records.length; index++) {
    const checked = check(records[index]);
    const record = { pos: index + 1, checked, raw: records[index] };
    staged.push(record);
    if (checked.errors.length === 0) continue;
    invalid.push(record);
    for (const e of checked.errors) {
      if (fieldErrors++ < RECEIPT_ERROR_LIMIT)
        errors.push({ position: record.pos, ref: checked.values.ref, field: e.field, code: e.code, reason: e.reason });
    }
    if (fieldErrors > BATCH_ERROR_LIMIT) {
      return fail(
        'invalid',
        `The batch has more than ${BATCH_ERROR_LIMIT.toLocaleString('en-GB')} failing fields; check the names and shapes of the export's fields, and send it again.`,
        { code: 'too_many_errors' },
      );
    }
  }
  return success({
    summary: { type, received: staged.length, invalid: invalid.length, errors, errorsTruncated: fieldErrors > RECEIPT_ERROR_LIMIT },
    *copyParts() {
      yield* partsOf(STAGING[type].table, stagedColumns(type), stagedRows(importId, batchNo, type, staged));
      if (type === 'contacts') yield* partsOf(CONTACT_LINKS.table, CONTACT_LINKS.columns, contactLinkRows(importId, batchNo, staged));
      if (invalid.length > 0) yield* partsOf(RECORD_ERRORS.table, RECORD_ERRORS.columns, errorRows(importId, batchNo, type, invalid));
    },
  });
}
