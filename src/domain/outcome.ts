// Expected failures are values, not exceptions: domain code returns an Outcome and the HTTP layer maps the
// closed set of failure kinds to status codes. Bugs stay exceptions.
import type { ProblemCode } from './problem-codes.ts';

export type FailureKind =
  | 'not_found' // unknown id, or another practice's (never distinguished: no existence leaks)
  | 'conflict' // the request is valid but the resource's state refuses it
  | 'invalid' // the request itself is malformed
  | 'too_large'
  | 'unsupported_media'
  | 'timeout' // the client stopped sending its request
  | 'busy'; // the server is at capacity; try again shortly

export interface Failure {
  kind: FailureKind;
  detail: string;
  /** Extra members of the problem document: a `code` a client may act on, e.g. with the `missing` batch numbers. */
  extra?: FailureExtra;
}

export type FailureExtra = { code?: ProblemCode } & Record<string, unknown>;

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (kind: FailureKind, detail: string, extra?: FailureExtra): { ok: false; failure: Failure } => ({
  ok: false,
  failure: extra ? { kind, detail, extra } : { kind, detail },
});
