// Reads a request body into memory, never past the limit: gzip bodies are inflated as a stream and counted as
// they inflate, so a gzip bomb stops at limit + 1 bytes instead of filling memory. A client that stops sending
// for `idleMs` is answered instead of being waited for (a body trickled a byte at a time must not hold memory and
// a connection for as long as the client likes).
import { finished, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fail, success, type Outcome } from '../domain/outcome.ts';

export const BATCH_LIMIT_BYTES = 10 * 1024 * 1024; // 10,485,760: SPEC §3
export const BODY_IDLE_MS = 30_000;

export interface ReadLimits {
  bytes: number;
  /** How long the client may send nothing before the read stops with a `timeout` failure. */
  idleMs: number;
}

const DEFAULT_LIMITS: ReadLimits = { bytes: BATCH_LIMIT_BYTES, idleMs: BODY_IDLE_MS };

/**
 * The chunks as one Buffer on shared memory: an intake thread reads the body where it is (intake-pool.ts), so the
 * 10 MB is not copied again for the thread, and the same bytes are hashed and held by the main thread meanwhile.
 */
export function sharedBytes(chunks: readonly Uint8Array[], size: number): Buffer {
  const bytes = Buffer.from(new SharedArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Collects `stream` up to `limit` bytes. Settles however the body ends: at its end, past the limit, when `payload`
 * (the request) has sent nothing for `idleMs`, or with the stream's error when the client goes away mid-body.
 */
function collect(payload: Readable, stream: Readable, limits: ReadLimits, what: string): Promise<Outcome<Buffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      clearTimeout(idle);
      payload.off('data', progress);
      payload.off('end', arrived);
      stream.off('data', onData);
      stopWatching();
    };
    const settle = (outcome: Outcome<Buffer>) => {
      stop();
      resolve(outcome);
    };
    const idle = setTimeout(() => {
      settle(fail('timeout', `${what} stopped arriving: nothing was received for ${limits.idleMs / 1000} seconds.`));
    }, limits.idleMs);
    const progress = () => idle.refresh();
    // The deadline is the client's: once its body has all arrived, inflating it takes what it takes.
    const arrived = () => clearTimeout(idle);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.bytes) return settle(fail('too_large', `${what} is larger than ${limits.bytes.toLocaleString('en-GB')} bytes.`));
      chunks.push(chunk);
    };
    payload.on('data', progress);
    payload.on('end', arrived);
    stream.on('data', onData);
    const stopWatching = finished(stream, (error) => {
      stop();
      if (error) reject(error);
      else resolve(success(sharedBytes(chunks, size)));
    });
  });
}

export async function readBody(payload: Readable, contentEncoding: string | undefined, limits = DEFAULT_LIMITS): Promise<Outcome<Buffer>> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') {
    const outcome = await collect(payload, payload, limits, 'The batch');
    // Not destroyed when the read stops early (a destroyed request leaves its keep-alive socket half-read, and
    // server.close() then waits on it): the rest is drained so the answer goes out on a clean connection.
    if (!outcome.ok) payload.resume();
    return outcome;
  }
  if (encoding !== 'gzip') {
    payload.resume();
    return fail('unsupported_media', `Content-Encoding '${encoding}' is not supported; send gzip or no encoding.`);
  }
  const gunzip = createGunzip();
  // A request that ends early (the client went away) ends the inflating too, with its error.
  finished(payload, (error) => error && gunzip.destroy(error));
  payload.pipe(gunzip);
  try {
    const outcome = await collect(payload, gunzip, limits, 'The decoded batch');
    if (!outcome.ok) {
      payload.unpipe(gunzip);
      gunzip.destroy();
      payload.resume(); // drain what is left so the connection can answer
    }
    return outcome;
  } catch (error) {
    payload.resume();
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) return fail('invalid', 'The body is not valid gzip data.');
    throw error;
  }
}
