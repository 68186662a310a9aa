// A client for BrightClient's import API (SPEC §3) with one source token. Every call retries network errors, 408,
// 429 and 5xx with exponential backoff and jitter, honouring Retry-After; other answers are final.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { gzip as gzipCallback } from 'node:zlib';
import { promisify } from 'node:util';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from './backoff.ts';
import type { BatchReceipt, ImportView, Problem, ProblemCode, RefLists, UndoPreview } from './types.ts';

const gzip = promisify(gzipCallback);

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:3000 */
  server: string;
  /** A source token (`Authorization: Bearer …`). */
  token: string;
  retry?: Partial<RetryPolicy>;
  /** One try's time limit; a try that takes longer is aborted and retried. */
  requestTimeoutMs?: number;
  /** Called before each wait for another try. */
  onRetry?: (info: RetryInfo) => void;
  /** How long the first contact may take to connect before the server counts as unreachable. */
  connectTimeoutMs?: number;
}

export interface RetryInfo {
  method: string;
  path: string;
  /** The try that failed, from 1. */
  attempt: number;
  /** The answer's status, or null for a network error. */
  status: number | null;
  reason: string;
  waitMs: number;
}

/** The server answered with a final (non-retryable) error. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(method: string, path: string, status: number, problem: Problem) {
    super(`${method} ${path}: ${status} ${problem.detail ?? problem.title ?? ''}`.trim());
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** Whether the server refused with this problem `code` (a closed list: the contract's ProblemCode). */
  hasCode(code: ProblemCode): boolean {
    return this.problem.code === code;
  }
}

/**
 * The very first contact found no server: nothing listens at the address, the name does not resolve, or the
 * connection is not accepted within a few seconds. Told at once rather than after minutes of retries, since it is
 * almost always a wrong address or a server not started; once a server has answered, failures are retried.
 */
export class ServerUnreachableError extends Error {
  readonly server: string;
  constructor(server: string, reason: string) {
    super(`No BrightClient server answers at ${server} (${reason})`);
    this.name = 'ServerUnreachableError';
    this.server = server;
  }
}

/** Every try failed with a retryable error. */
export class RetriesExhaustedError extends Error {
  readonly attempts: number;
  constructor(method: string, path: string, attempts: number, last: string) {
    super(`${method} ${path} failed ${attempts} times; the last try: ${last}`);
    this.name = 'RetriesExhaustedError';
    this.attempts = attempts;
  }
}

export interface ImportQuery {
  status?: ImportView['status'];
  hasFailures?: boolean;
  since?: string;
  limit?: number;
}

export interface PutBatchResult {
  /** 202 stored now; 200 a replay of identical bytes already stored. */
  status: 200 | 202;
  receipt: BatchReceipt;
}

export interface ApiClient {
  readonly server: string;
  /** Starts an import; `dryRun`: processed in full, matching included, but nothing written (SPEC §10). */
  startImport(signal?: AbortSignal, start?: { dryRun?: boolean }): Promise<ImportView>;
  startRetry(importId: string, signal?: AbortSignal): Promise<ImportView>;
  getImport(importId: string, signal?: AbortSignal): Promise<ImportView>;
  listImports(query?: ImportQuery, signal?: AbortSignal): Promise<ImportView[]>;
  /** Uploads batch `n`; `body` is the exact JSON bytes, gzip-compressed on the wire when asked. */
  putBatch(importId: string, n: number, body: Buffer, options?: { gzip?: boolean; signal?: AbortSignal }): Promise<PutBatchResult>;
  complete(importId: string, batchCount: number, signal?: AbortSignal): Promise<ImportView>;
  /** Cancels an import that is still receiving (409 import_not_receiving otherwise); its staged records are dropped. */
  cancel(importId: string, signal?: AbortSignal): Promise<ImportView>;
  failedRefs(importId: string, signal?: AbortSignal): Promise<RefLists>;
  /** What an undo would remove and keep, per record type, and what would refuse it (SPEC §10). */
  undoPreview(importId: string, signal?: AbortSignal): Promise<UndoPreview>;
  /** Starts the undo of a completed import (202 undoing; asked again, the undoing or undone import). */
  undo(importId: string, signal?: AbortSignal): Promise<ImportView>;
  /** Saves the error file (CSV, or JSON with format 'json') to `file`, written whole or not at all. */
  downloadErrors(importId: string, file: string, options?: { format?: 'csv' | 'json'; signal?: AbortSignal }): Promise<{ bytes: number }>;
  /** GET with the token, no retries: for the event stream, which the caller reads and falls back from. */
  openEvents(importId: string, signal: AbortSignal): Promise<Response>;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'the request timed out';
  const cause = error.cause as (Error & { code?: string }) | undefined;
  return cause ? `${cause.code ?? cause.name}: ${cause.message}` : error.message;
}

async function readProblem(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object') return parsed;
  } catch {
    // not JSON: a proxy's page, say
  }
  return { status: res.status, title: res.statusText, detail: text.slice(0, 200) || res.statusText };
}

/** Bytes of a request body on the wire at a time: views of the batch, never a copy of it. */
const BODY_CHUNK = 256 * 1024;

/**
 * A fresh stream of `bytes` for one try: fetch would copy a Buffer body whole (10 MB a batch, per try), while a
 * stream's chunks are written as they are — here views of the batch's own buffer.
 */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const end = Math.min(offset + BODY_CHUNK, bytes.length);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
    },
  });
}

/** Opens (and closes) a TCP connection to the server's host and port: null when it connects, else why not. */
function probeConnection(url: URL, timeoutMs: number): Promise<string | null> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.once('connect', () => done(null));
    socket.once('timeout', () => done(`no connection within ${timeoutMs / 1000} s`));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

export function createApiClient(options: ClientOptions): ApiClient {
  const server = options.server.replace(/\/+$/, '');
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const timeoutMs = options.requestTimeoutMs ?? 120_000;
  const auth = { authorization: `Bearer ${options.token}` };
  let contact: Promise<void> | null = null;
  /** Checked once, before the first request: a server that does not exist fails fast instead of being retried. */
  const firstContact = () =>
    (contact ??= probeConnection(new URL(server), options.connectTimeoutMs ?? 3000).then((reason) => {
      if (reason !== null) {
        contact = null; // a later call (the agent's next round) checks again
        throw new ServerUnreachableError(server, reason);
      }
    }));

  /** One call with retries; resolves with the first final answer (any status that is not retryable). */
  async function send(
    method: string,
    path: string,
    init: { body?: Buffer | string; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Response> {
    await firstContact();
    for (let attempt = 0; ; attempt++) {
      let res: Response | null = null;
      let reason: string;
      try {
        const signals = [AbortSignal.timeout(timeoutMs), ...(init.signal ? [init.signal] : [])];
        const { body } = init;
        res = await fetch(`${server}${path}`, {
          method,
          headers: { ...auth, ...init.headers, ...(Buffer.isBuffer(body) ? { 'content-length': String(body.length) } : {}) },
          ...(Buffer.isBuffer(body) ? { body: streamOf(body), duplex: 'half' } : { body }),
          signal: AbortSignal.any(signals),
        });
        if (!isRetryableStatus(res.status)) return res;
        const problem = await readProblem(res);
        reason = `${res.status} ${problem.detail ?? problem.title ?? ''}`.trim();
      } catch (error) {
        if (init.signal?.aborted) throw init.signal.reason;
        reason = describeNetworkError(error);
      }
      if (attempt + 1 >= policy.attempts) throw new RetriesExhaustedError(method, path, attempt + 1, reason);
      const waitMs = backoffDelay(policy, attempt, res ? parseRetryAfter(res.headers.get('retry-after')) : null);
      options.onRetry?.({ method, path, attempt: attempt + 1, status: res?.status ?? null, reason, waitMs });
      await sleep(waitMs, init.signal);
    }
  }

  async function json<T>(
    method: string,
    path: string,
    expected: number[],
    body?: unknown,
    signal?: AbortSignal,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await send(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      signal,
    });
    if (!expected.includes(res.status)) throw new ApiError(method, path, res.status, await readProblem(res));
    return (await res.json()) as T;
  }

  const importPath = (id: string) => `/v1/imports/${encodeURIComponent(id)}`;

  return {
    server,
    // One key per start, reused by every try of it: a try whose answer was lost gets the same import back (200).
    startImport: (signal, start = {}) =>
      json<ImportView>('POST', '/v1/imports', [200, 201], start.dryRun ? { dryRun: true } : {}, signal, {
        'idempotency-key': randomUUID(),
      }),
    startRetry: (id, signal) =>
      json<ImportView>('POST', `${importPath(id)}/retry`, [200, 201], undefined, signal, { 'idempotency-key': randomUUID() }),
    getImport: (id, signal) => json<ImportView>('GET', importPath(id), [200], undefined, signal),
    listImports: async (query = {}, signal) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const qs = params.size > 0 ? `?${params.toString()}` : '';
      return (await json<{ imports: ImportView[] }>('GET', `/v1/imports${qs}`, [200], undefined, signal)).imports;
    },
    putBatch: async (id, n, body, { gzip: compress = false, signal } = {}) => {
      const path = `${importPath(id)}/batches/${n}`;
      const wire = compress ? await gzip(body) : body;
      const res = await send('PUT', path, {
        body: wire,
        headers: { 'content-type': 'application/json', ...(compress ? { 'content-encoding': 'gzip' } : {}) },
        signal,
      });
      if (res.status !== 200 && res.status !== 202) throw new ApiError('PUT', path, res.status, await readProblem(res));
      return { status: res.status, receipt: (await res.json()) as BatchReceipt };
    },
    complete: (id, batchCount, signal) => json<ImportView>('POST', `${importPath(id)}/complete`, [202], { batchCount }, signal),
    cancel: (id, signal) => json<ImportView>('POST', `${importPath(id)}/cancel`, [200], undefined, signal),
    failedRefs: (id, signal) => json<RefLists>('GET', `${importPath(id)}/failed-refs`, [200], undefined, signal),
    undoPreview: (id, signal) => json<UndoPreview>('GET', `${importPath(id)}/undo`, [200], undefined, signal),
    undo: (id, signal) => json<ImportView>('POST', `${importPath(id)}/undo`, [202], undefined, signal),
    downloadErrors: async (id, file, { format = 'csv', signal } = {}) => {
      const path = `${importPath(id)}/errors${format === 'json' ? '?format=json' : ''}`;
      const partial = `${file}.partial`;
      // A body cut off midway is fetched again whole: the file appears complete or not at all.
      for (let attempt = 1; ; attempt++) {
        const res = await send('GET', path, { signal });
        if (res.status !== 200 || !res.body) throw new ApiError('GET', path, res.status, await readProblem(res));
        try {
          await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
          await fs.rename(partial, file);
          return { bytes: (await fs.stat(file)).size };
        } catch (error) {
          await fs.rm(partial, { force: true });
          if (signal?.aborted || attempt >= policy.attempts) throw error;
          await sleep(backoffDelay(policy, attempt - 1, null), signal);
        }
      }
    },
    openEvents: (id, signal) => fetch(`${server}${importPath(id)}/events`, { headers: { ...auth, accept: 'text/event-stream' }, signal }),
  };
}
