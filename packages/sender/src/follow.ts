// Following an import until its work ends (completed, cancelled, or undone when an undo is followed): Server-Sent Events from GET /v1/imports/{id}/events (`progress` on
// every change, then `done`), falling back to polling GET /v1/imports/{id} when the stream cannot be opened, breaks
// or goes silent (a proxy that buffers or cuts long responses).
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ApiClient } from './api-client.ts';
import { FINAL_STATUSES } from './contract.generated.ts';
import { sleep } from './backoff.ts';
import type { ImportView } from './types.ts';

export interface FollowOptions {
  onProgress?: (view: ImportView) => void;
  /** Told once which way the import is being followed. */
  onMode?: (mode: 'events' | 'polling', reason?: string) => void;
  signal?: AbortSignal;
  /** Polling interval (default 1 s). */
  pollMs?: number;
  /** Use the event stream at all (default true). */
  events?: boolean;
  /** No byte for this long ends the stream (the server sends a keep-alive every 15 s); default 45 s. */
  idleMs?: number;
}

const isFinal = (view: ImportView) => (FINAL_STATUSES as readonly string[]).includes(view.status);

interface ServerEvent {
  event: string;
  data: string;
}

/** Parses a text/event-stream body into events (the fields this API uses: event and data). */
export async function* readEventStream(body: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
      // A CR that ends the chunk may be the first half of a CRLF split across chunks: wait for the next one.
      if (newline === buffer.length - 1 && buffer.endsWith('\r')) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield { event, data: data.join('\n') };
        event = 'message';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
    }
  }
}

/** Follows over the event stream; the import at its final status, or the reason to fall back. */
async function followEvents(client: ApiClient, importId: string, options: FollowOptions): Promise<ImportView | { fallback: string }> {
  const idleMs = options.idleMs ?? 45_000;
  const local = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, local.signal]) : local.signal;
  let idle: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => local.abort(new Error('the event stream went silent')), idleMs);
  };
  try {
    arm();
    const res = await client.openEvents(importId, signal);
    if (res.status !== 200 || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream') || !res.body) {
      await res.body?.cancel();
      return { fallback: `the event stream answered ${res.status}` };
    }
    options.onMode?.('events');
    let last: ImportView | null = null;
    for await (const { event, data } of readEventStream(res.body)) {
      arm();
      if (event !== 'progress' && event !== 'done') continue;
      const view = JSON.parse(data) as ImportView;
      if (event === 'progress') options.onProgress?.(view);
      if (event === 'done' || isFinal(view)) {
        last = view;
        break; // leaving the loop cancels the response body
      }
    }
    return last ?? { fallback: 'the event stream ended early' };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    return {
      fallback: local.signal.aborted
        ? String((local.signal.reason as Error).message)
        : `the event stream broke (${(error as Error).message})`,
    };
  } finally {
    clearTimeout(idle);
    local.abort();
  }
}

/** Resolves with the import once its work has ended, reporting progress on the way. */
export async function follow(client: ApiClient, importId: string, options: FollowOptions = {}): Promise<ImportView> {
  if (options.events !== false) {
    const outcome = await followEvents(client, importId, options);
    if ('id' in outcome) return outcome;
    options.onMode?.('polling', outcome.fallback);
  } else {
    options.onMode?.('polling');
  }
  let last = '';
  for (;;) {
    const view = await client.getImport(importId, options.signal);
    const text = JSON.stringify(view);
    if (text !== last) options.onProgress?.(view);
    last = text;
    if (isFinal(view)) return view;
    await sleep(options.pollMs ?? 1000, options.signal);
  }
}
