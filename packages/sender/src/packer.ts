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
  /**
   * Gives the body's memory back to the packer for a later batch, once the body is no longer needed (acknowledged):
   * `body` must not be read after. Optional — a batch never released is left to the garbage collector.
   */
  release(): void;
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

/** The batch limit's buffers, kept for reuse once their batch is released (see OpenBatch). */
class BufferPool {
  readonly size: number;
  readonly #free: Buffer[] = [];

  constructor(size: number) {
    this.size = size;
  }

  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** Only a buffer of the limit's size is kept: a parked batch's own is left to the garbage collector. */
  give(buffer: Buffer): void {
    if (buffer.length === this.size) this.#free.push(buffer);
  }
}

/**
 * A batch being filled: its body is written straight into one buffer of the batch limit's size, so sealing it
 * copies nothing. The buffers are kept and reused once a batch is released (send.ts: when acknowledged): a 10 MB
 * buffer allocated and freed per batch is memory the allocator keeps but cannot reuse (the sender's RSS grew with
 * the export, 201 MB at 100,000 records and 296 MB at 1,000,000, while its JS heap stayed under 30 MB). Pages of a
 * buffer never written are never resident, so a batch still costs only its own size.
 */
class OpenBatch {
  body: Buffer;
  bytes = 0;
  records = 0;
  sourceBytes = 0;
  readonly #pool: BufferPool;
  #parked = false;

  constructor(pool: BufferPool, header: Buffer) {
    this.#pool = pool;
    this.body = pool.take();
    this.#append(header);
  }

  /** Room for `bytes` more, the footer included. */
  fits(bytes: number): boolean {
    return this.bytes + bytes + FOOTER.length <= this.#pool.size;
  }

  add(json: string): void {
    if (this.body.length < this.#pool.size) this.#moveTo(this.#pool.take());
    if (this.records > 0) this.#append(COMMA);
    this.bytes += this.body.write(json, this.bytes, 'utf8');
    this.records++;
  }

  /**
   * The source moved on to another type (an export's files come one type after another): what the batch holds moves
   * to a buffer of its own size, so that its full-size buffer takes the next type's batch instead of waiting, mostly
   * empty, for the end of the export — where a type's last batch is sealed — while a new one is allocated. Once a
   * batch at most: a source that mixes types copies a batch at most twice (here, and back into a full buffer).
   */
  park(): void {
    if (this.#parked) return;
    this.#parked = true;
    const full = this.body;
    this.#moveTo(Buffer.allocUnsafeSlow(this.bytes + FOOTER.length));
    this.#pool.give(full);
  }

  seal(): Buffer {
    this.#append(FOOTER);
    return this.body.subarray(0, this.bytes);
  }

  #moveTo(buffer: Buffer): void {
    this.body.copy(buffer, 0, 0, this.bytes);
    this.body = buffer;
  }

  #append(chunk: Buffer): void {
    this.bytes += chunk.copy(this.body, this.bytes);
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
  const pool = new BufferPool(maxBytes);
  const positions = new Map<RecordType, number>();
  let next = 1;

  const seal = (type: RecordType, batch: OpenBatch): Batch => {
    open.delete(type);
    const body = batch.seal();
    let released = false;
    return {
      n: next++,
      type,
      body,
      sha256: createHash('sha256').update(body).digest('hex'),
      records: batch.records,
      sourceBytes: batch.sourceBytes,
      release: () => {
        if (released) return;
        released = true;
        pool.give(batch.body);
      },
    };
  };
  const reject = (type: RecordType, position: number, record: unknown, size: number, reason: string) => {
    options.onRejected?.({ type, position, ref: refOf(record), reason });
    options.onPassedOver?.(size);
  };

  let current: RecordType | null = null;
  for await (const { type, record, size = 0 } of source) {
    if (!(RECORD_TYPES as readonly string[]).includes(type)) throw new Error(`Unknown record type '${String(type)}'.`);
    if (type !== current) {
      if (current) open.get(current)?.park();
      current = type;
    }
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
    if (batch && (!batch.fits(COMMA.length + byteLength) || batch.records >= maxRecords)) {
      yield seal(type, batch);
      batch = undefined;
    }
    if (!batch) {
      batch = new OpenBatch(pool, headers[type]);
      open.set(type, batch);
    }
    batch.add(text);
    batch.sourceBytes += size;
  }
  // What is left, in the fixed order of the types, so the numbering is the same on every run.
  for (const type of RECORD_TYPES) {
    const batch = open.get(type);
    if (batch) yield seal(type, batch);
  }
}
