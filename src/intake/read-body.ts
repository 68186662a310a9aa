// Reads a request body into memory, never past the limit: gzip bodies are inflated as a stream and counted as
// they inflate, so a gzip bomb stops at limit + 1 bytes instead of filling memory.
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fail, success, type Outcome } from '../domain/outcome.ts';

export const BATCH_LIMIT_BYTES = 10 * 1024 * 1024; // 10,485,760: SPEC §3

async function collect(stream: AsyncIterable<Buffer>, limit: number, what: string): Promise<Outcome<Buffer>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) return fail('too_large', `${what} is larger than ${limit.toLocaleString('en-GB')} bytes.`);
    chunks.push(chunk);
  }
  return success(Buffer.concat(chunks, size));
}

export async function readBody(
  payload: Readable,
  contentEncoding: string | undefined,
  limit = BATCH_LIMIT_BYTES,
): Promise<Outcome<Buffer>> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') {
    // Not destroyed when the limit is passed (a destroyed request leaves its keep-alive socket half-read, and
    // server.close() then waits on it): the rest is drained so the answer goes out on a clean connection.
    const outcome = await collect(payload.iterator({ destroyOnReturn: false }), limit, 'The batch');
    if (!outcome.ok) payload.resume();
    return outcome;
  }
  if (encoding !== 'gzip') {
    payload.resume();
    return fail('unsupported_media', `Content-Encoding '${encoding}' is not supported; send gzip or no encoding.`);
  }
  const gunzip = createGunzip();
  payload.on('error', (error) => gunzip.destroy(error));
  payload.pipe(gunzip);
  try {
    const outcome = await collect(gunzip, limit, 'The decoded batch');
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
