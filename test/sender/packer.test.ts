// The SDK's pure parts: packing batches (never over the byte limit, counted in bytes; deterministic numbering;
// records that cannot be sent are reported), backoff and Retry-After, and reading an event stream.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { RecordType } from '../../src/contract/records.ts';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  packBatches,
  parseRetryAfter,
  readEventStream,
  type Batch,
  type RejectedRecord,
  type SourceRecord,
} from '../../packages/sender/src/index.ts';

async function pack(records: SourceRecord[], options: Parameters<typeof packBatches>[1] = {}) {
  const batches: Batch[] = [];
  const rejected: RejectedRecord[] = [];
  let passedOver = 0;
  for await (const batch of packBatches(records, {
    ...options,
    onRejected: (r) => rejected.push(r),
    onPassedOver: (b) => (passedOver += b),
  })) {
    batches.push(batch);
  }
  return { batches, rejected, passedOver };
}

// Multi-byte text: a batch limit counted in characters would overshoot in bytes.
const client = (i: number, pad = 0): SourceRecord => ({
  type: 'clients',
  record: { ref: `C-${i}`, clientReference: `R${i}`, name: `Zoë Ørsted — 日本 ${i} ${'é'.repeat(pad)}`, clientType: 'other' },
  size: 10,
});
const contact = (i: number): SourceRecord => ({
  type: 'contacts',
  record: { ref: `P-${i}`, lastName: 'Lee', clients: [{ ref: `C-${i}`, role: 'owner' }] },
  size: 10,
});

test('batches hold one type each, never exceed the byte limit, and keep every record in order', async () => {
  const records = Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? contact(i) : client(i, i % 17)));
  const { batches, rejected } = await pack(records, { maxBytes: 4_000 });
  assert.equal(rejected.length, 0);
  assert.ok(batches.length > 10);
  assert.deepEqual(
    batches.map((b) => b.n),
    batches.map((_, i) => i + 1),
  );
  const back: Record<string, unknown[]> = { clients: [], contacts: [], addresses: [] };
  for (const batch of batches) {
    assert.ok(batch.body.length <= 4_000, `batch ${batch.n} has ${batch.body.length} bytes`);
    const parsed = JSON.parse(batch.body.toString('utf8')) as { type: RecordType; records: unknown[] };
    assert.equal(parsed.type, batch.type);
    assert.equal(parsed.records.length, batch.records);
    assert.equal(batch.sourceBytes, batch.records * 10);
    back[parsed.type]!.push(...parsed.records);
  }
  assert.deepEqual(
    back['clients'],
    records.filter((r) => r.type === 'clients').map((r) => r.record),
  );
  assert.deepEqual(
    back['contacts'],
    records.filter((r) => r.type === 'contacts').map((r) => r.record),
  );
  // Full batches are close to the limit: packing does not waste round trips.
  assert.ok(
    batches
      .filter((b) => b.type === 'clients')
      .slice(0, -1)
      .every((b) => b.body.length > 3_600),
  );
});

test('the buffer of a released batch takes a later batch, whose bytes and SHA-256 are its own', async () => {
  const records = Array.from({ length: 300 }, (_, i) => client(i, i % 17));
  const { batches: unreleased } = await pack(records, { maxBytes: 4_000 });
  const bodies: Buffer[] = [];
  const seen = new Set<ArrayBufferLike>();
  let reused = 0;
  for await (const batch of packBatches(records, { maxBytes: 4_000 })) {
    if (seen.has(batch.body.buffer)) reused++;
    seen.add(batch.body.buffer);
    bodies.push(Buffer.from(batch.body));
    assert.equal(batch.sha256, createHash('sha256').update(batch.body).digest('hex'));
    batch.release();
  }
  assert.ok(reused >= unreleased.length - 2, `${reused} of ${unreleased.length} batches reused a buffer`);
  assert.deepEqual(
    bodies,
    unreleased.map((b) => b.body),
  );
});

test("a type's last batch, left open when the export moves on, gives its full-size buffer to the next type's batch", async () => {
  const records = [
    ...Array.from({ length: 100 }, (_, i) => client(i, i % 17)),
    ...Array.from({ length: 100 }, (_, i) => contact(i)),
    client(100),
  ];
  const { batches: unreleased } = await pack(records, { maxBytes: 4_000 });
  const full = new Set<ArrayBufferLike>();
  const bodies: Buffer[] = [];
  for await (const batch of packBatches(records, { maxBytes: 4_000 })) {
    if (batch.body.buffer.byteLength === 4_000) full.add(batch.body.buffer);
    bodies.push(Buffer.from(batch.body));
    batch.release();
  }
  // Each batch is released before the next is cut: one buffer of the limit's size serves every type.
  assert.equal(full.size, 1);
  assert.deepEqual(
    bodies,
    unreleased.map((b) => b.body),
  );
  // The clients' last batch was parked, then took the client that came after the contacts.
  const last = JSON.parse(bodies.at(-2)!.toString('utf8')) as { type: RecordType; records: { ref: string }[] };
  assert.equal(last.type, 'clients');
  assert.equal(last.records.at(-1)!.ref, 'C-100');
});

test('the same records give the same batches, byte for byte (what a resumed send relies on)', async () => {
  const records = Array.from({ length: 300 }, (_, i) => (i % 2 ? client(i) : contact(i)));
  const first = await pack(records, { maxBytes: 2_500 });
  const second = await pack(records, { maxBytes: 2_500 });
  assert.deepEqual(
    first.batches.map((b) => [b.n, b.type, b.sha256]),
    second.batches.map((b) => [b.n, b.type, b.sha256]),
  );
});

test('a batch may be exactly the limit; the record count limit holds too', async () => {
  const one = await pack([client(1)]);
  const exact = one.batches[0]!.body.length;
  assert.equal((await pack([client(1)], { maxBytes: exact })).batches.length, 1);
  assert.equal((await pack([client(1)], { maxBytes: exact - 1 })).rejected.length, 1);
  const capped = await pack(
    Array.from({ length: 25 }, (_, i) => contact(i)),
    { maxRecords: 10 },
  );
  assert.deepEqual(
    capped.batches.map((b) => b.records),
    [10, 10, 5],
  );
});

test('a record too large for any batch is reported and not sent; one holding text the server cannot store is sent (it fails there, on its field)', async () => {
  const huge: SourceRecord = { type: 'clients', record: { ref: 'BIG', name: 'x'.repeat(5_000) }, size: 7 };
  const nul: SourceRecord = { type: 'clients', record: { ref: 'NUL', name: 'a\u0000b' }, size: 3 };
  const surrogate: SourceRecord = { type: 'contacts', record: { ref: 'SUR', lastName: 'x\ud800' }, size: 2 };
  const escapedText: SourceRecord = { type: 'clients', record: { ref: 'OK', name: 'backslash-u0000 as text: \\u0000' }, size: 1 };
  const { batches, rejected, passedOver } = await pack([client(1), huge, nul, surrogate, escapedText, client(2)], { maxBytes: 1_000 });
  assert.deepEqual(
    rejected.map((r) => [r.type, r.position, r.ref]),
    [['clients', 2, 'BIG']],
  );
  assert.match(rejected[0]!.reason, /more than a batch may hold/);
  assert.equal(passedOver, 7);
  const sent = batches.flatMap((b) => (JSON.parse(b.body.toString()) as { records: { ref: string }[] }).records.map((r) => r.ref));
  assert.deepEqual(sent, ['C-1', 'NUL', 'OK', 'C-2', 'SUR']);
});

test('select passes records over (a retry sends only the requested refs)', async () => {
  const records = Array.from({ length: 20 }, (_, i) => client(i));
  const { batches, passedOver } = await pack(records, { select: (_type, r) => ['C-3', 'C-11'].includes((r as { ref: string }).ref) });
  assert.equal(batches.length, 1);
  assert.equal(batches[0]!.records, 2);
  assert.equal(passedOver, 180);
});

test('backoff grows exponentially with jitter, is capped, and honours Retry-After', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseMs: 100, maxMs: 1_000 };
  const low = () => 0;
  const high = () => 0.999999;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a, null, low)),
    [50, 100, 200, 400, 500, 500],
  );
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a, null, high)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.equal(backoffDelay(policy, 0, 3_000, low), 3_000);
  assert.ok(backoffDelay(policy, 0, 3_000, high) <= 3_100);
  assert.equal(backoffDelay(policy, 0, 10_000_000, low), policy.maxRetryAfterMs);
  assert.equal(parseRetryAfter('7'), 7_000);
  assert.equal(parseRetryAfter(' 0 '), 0);
  const now = Date.parse('2025-03-01T10:00:00Z');
  assert.equal(parseRetryAfter('Sat, 01 Mar 2025 10:00:05 GMT', now), 5_000);
  assert.equal(parseRetryAfter('Sat, 01 Mar 2025 09:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon'), null);
  assert.equal(parseRetryAfter(null), null);
});

test('an event stream is read across arbitrary chunk boundaries, CRLF, comments and multi-line data', async () => {
  const text =
    'retry: 2000\r\n\r\n: keep-alive\n\nevent: progress\ndata: {"a":\ndata: 1}\n\nevent: done\r\ndata: {"b":2}\r\n\r\ndata: tail\n\n';
  const bytes = new TextEncoder().encode(text);
  for (const size of [1, 3, 7, bytes.length]) {
    const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.slice(i * size, (i + 1) * size));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    const events = [];
    for await (const e of readEventStream(body)) events.push(e);
    assert.deepEqual(events, [
      { event: 'progress', data: '{"a":\n1}' },
      { event: 'done', data: '{"b":2}' },
      { event: 'message', data: 'tail' },
    ]);
  }
});
