// Whom a request's credentials verifiably belong to, worked out at most once per request: the rate limit keys on
// it before routing (so a made-up token or cookie never buys a budget of its own), and authentication reuses it.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/pool.ts';
import type { SourceScope } from '../domain/scope.ts';
import { authenticateSource } from '../practices/practice.service.ts';
import { findSession, type SessionUser } from '../users/session.service.ts';

const sources = new WeakMap<FastifyRequest, Promise<SourceScope | null>>();
const sessions = new WeakMap<FastifyRequest, Promise<SessionUser | null>>();

export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S{1,512})$/i.exec(header.trim());
  return match ? match[1]! : null;
}

/** The source token's practice and source when the request carries a valid one. */
export function verifiedSource(db: Db, request: FastifyRequest, token: string): Promise<SourceScope | null> {
  let found = sources.get(request);
  if (!found) {
    found = authenticateSource(db, token);
    sources.set(request, found);
  }
  return found;
}

/** The user of a live session with this id (touching it, once per request). */
export function verifiedSession(db: Db, request: FastifyRequest, sessionId: string): Promise<SessionUser | null> {
  let found = sessions.get(request);
  if (!found) {
    found = findSession(db, sessionId);
    sessions.set(request, found);
  }
  return found;
}
