// The one mapping of a domain Outcome to an HTTP answer (STYLE habit 5): its value with the route's success status,
// or its failure as a problem document.
import type { FastifyReply } from 'fastify';
import type { Outcome } from '../domain/outcome.ts';
import { sendFailure } from './problem.ts';

/**
 * Returned from a handler: the value is sent with `status` and serialised by that status's response schema, so the
 * route's types still check it against the schemas; a failure answers its problem.
 */
export function answer<T>(reply: FastifyReply, outcome: Outcome<T>, status = 200): T | FastifyReply {
  if (!outcome.ok) return sendFailure(reply, outcome.failure);
  reply.code(status);
  return outcome.value;
}

/** A start (an import, a retry) answers 201, or 200 when its Idempotency-Key replayed the one it started. */
export function answerStart<T>(reply: FastifyReply, outcome: Outcome<{ view: T; replayed: boolean }>): T | FastifyReply {
  if (!outcome.ok) return sendFailure(reply, outcome.failure);
  reply.code(outcome.value.replayed ? 200 : 201);
  return outcome.value.view;
}
