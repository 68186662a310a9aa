// Packs a stream of records into batches of one type each (SPEC §4): each batch body is at most `maxBytes` bytes
// of JSON, counted in bytes of the exact body that is sent. Batches are numbered 1, 2, 3 … in the order they fill
// up, so the same records in the same order always give the same numbers and the same bytes — what lets an
// interrupted send resume, and the server recognise a replayed batch.
import { createHash } from 'node:crypto';
import { RECORD_TYPES, type RecordType } from './contract.generated.ts';

/** SPEC §3: a larger body is refused with 413. */
export const MAX_BATCH_BYTES = 10 * 1024 * 1024;
/** The server's limit of records in one batch (its README). */
export const MAX_BATCH_RECORDS = 100_000;

export interface SourceRecord {
  type: RecordType;
  record: unknown;
  /** Bytes of the export this record accounts for, for progress; optional. */
  size?: number;
}

/** The records to send, read once in order; a plain array or generator will do as well as a stream. */
export type RecordSource = AsyncIterable<SourceRecord> | Iterable<SourceRecord>;

export interface Batch {
  n: number;
  type: RecordType;
  /** The exact request body: {"type": …, "records": […]} */
  body: Buffer;
  sha256: string;
  records: number;
  /** Sum of the `size` of its records. */
  sourceBytes: number;
}

/** A record that is not sent, and why. `position` counts the records of its type from 1, in the order read. */
export interface RejectedRecord {
  type: RecordType;
  position: number;
  ref: string | null;
  reason: string;
}

export interface PackOptions {
  maxBytes?: number;
  maxRecords?: number;
  /** Only records for which this is true are sent (a retry sends the requested refs); the rest are passed over. */
  select?: (type: RecordType, record: unknown) => boolean;
  onRejected?: (rejected: RejectedRecord) => void;
  /** Export bytes that will not be sent (passed over or rejected), for progress. */
  onPassedOver?: (bytes: number) => void;
}

const COMMA = Buffer.from(',');
const FOOTER = Buffer.from(']}');

/** A record's `ref` as the server reads it (trimmed), or null. */
export function refOf(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const ref = (record as Record<string, unknown>)['ref'];
  if (typeof ref === 'string') return ref.trim() || null;
  return typeof ref === 'number' ? String(ref) : null;
}

/**
 * A batch being filled: its body is written straight into one buffer that grows by doubling up to the limit, so a
 * batch costs its own size in memory — not a small buffer per record — and sealing it copies nothing.
 */
class OpenBatch {
  body: Buffer;
  bytes = 0;
  records = 0;
  sourceBytes = 0;

  constructor(header: Buffer, max: number) {
    this.body = Buffer.allocUnsafe(Math.min(max, 64 * 1024));
    this.#append(header, max);
  }

  /** Room for `bytes` more, the footer included. */
  fits(bytes: number, max: number): boolean {
    return this.bytes + bytes + FOOTER.length <= max;
  }

  add(json: string, byteLength: number, max: number): void {
    if (this.records > 0) this.#append(COMMA, max);
    this.#reserve(byteLength, max);
    this.bytes += this.body.write(json, this.bytes, 'utf8');
    this.records++;
  }

  seal(max: number): Buffer {
    this.#append(FOOTER, max);
    return this.body.subarray(0, this.bytes);
  }

  #append(chunk: Buffer, max: number): void {
    this.#reserve(chunk.length, max);
    this.bytes += chunk.copy(this.body, this.bytes);
  }

  #reserve(bytes: number, max: number): void {
    const needed = this.bytes + bytes;
    if (needed <= this.body.length) return;
    let size = this.body.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(Math.max(needed, Math.min(size, max)));
    this.body.copy(grown, 0, 0, this.bytes);
    this.body = grown;
  }
}

export async function* packBatches(source: RecordSource, options: PackOptions = {}): AsyncGenerator<Batch> {
  const maxBytes = options.maxBytes ?? MAX_BATCH_BYTES;
  const maxRecords = options.maxRecords ?? MAX_BATCH_RECORDS;
  const headers = Object.fromEntries(RECORD_TYPES.map((t) => [t, Buffer.from(`{"type":${JSON.stringify(t)},"records":[`)])) as Record<
    RecordType,
    Buffer
  >;
  const open = new Map<RecordType, OpenBatch>();
  const positions = new Map<RecordType, number>();
  let next = 1;

  const seal = (type: RecordType, batch: OpenBatch): Batch => {
    open.delete(type);
    const body = batch.seal(maxBytes);
    return {
      n: next++,
      type,
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
      records: batch.records,
      sourceBytes: batch.sourceBytes,
    };
  };
  const reject = (type: RecordType, position: number, record: unknown, size: number, reason: string) => {
    options.onRejected?.({ type, position, ref: refOf(record), reason });
    options.onPassedOver?.(size);
  };

  for await (const { type, record, size = 0 } of source) {
    if (!(RECORD_TYPES as readonly string[]).includes(type)) throw new Error(`Unknown record type '${String(type)}'.`);
    const position = (positions.get(type) ?? 0) + 1;
    positions.set(type, position);
    if (options.select && !options.select(type, record)) {
      options.onPassedOver?.(size);
      continue;
    }
    const text = JSON.stringify(record) as string | undefined;
    if (text === undefined) {
      reject(type, position, record, size, 'It is not a JSON value.');
      continue;
    }
    const byteLength = Buffer.byteLength(text);
    const alone = headers[type].length + byteLength + FOOTER.length;
    if (alone > maxBytes) {
      reject(
        type,
        position,
        record,
        size,
        `As JSON it takes ${alone.toLocaleString('en-GB')} bytes, more than a batch may hold (${maxBytes.toLocaleString('en-GB')}).`,
      );
      continue;
    }
    let batch = open.get(type);
    if (batch && (!batch.fits(COMMA.length + byteLength, maxBytes) || batch.records >= maxRecords)) {
      yield seal(type, batch);
      batch = undefined;
    }
    if (!batch) {
      batch = new OpenBatch(headers[type], maxBytes);
      open.set(type, batch);
    }
    batch.add(text, byteLength, maxBytes);
    batch.sourceBytes += size;
  }
  // What is left, in the fixed order of the types, so the numbering is the same on every run.
  for (const type of RECORD_TYPES) {
    const batch = open.get(type);
    if (batch) yield seal(type, batch);
  }
}
