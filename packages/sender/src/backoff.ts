// When to try a request again: network errors, 408, 429 and 5xx, after an exponentially growing delay with jitter,
// or after what the server asked for in Retry-After.

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first delay's upper bound; each try doubles it. */
  baseMs: number;
  /** No computed delay is longer than this. */
  maxMs: number;
  /** A Retry-After longer than this is cut to it (a misconfigured proxy must not park the sender for hours). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 10, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 };

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before try `attempt + 1` (attempt counts from 0). "Equal jitter": half the exponential step
 * is fixed, half random, so delays keep growing while concurrent senders spread out. A Retry-After is honoured
 * as a minimum, with a little jitter on top so that senders told the same second do not return together.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxRetryAfterMs) + Math.round(random() * Math.min(policy.baseMs, 1000));
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
