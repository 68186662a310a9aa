// Who is calling: a source product (Bearer source token), a practice user (session, see SessionAuthenticator), or
// an operator (Bearer admin token).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/pool.ts';
import type { Principal, SourceScope, UserScope } from '../domain/scope.ts';
import { sha256 } from '../practices/tokens.ts';
import { bearer, verifiedSource } from './caller.ts';
import { sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Finds the practice user behind a request (its session cookie), or null. */
export type SessionAuthenticator = (request: FastifyRequest) => Promise<Principal | null>;

function unauthorized(reply: FastifyReply, detail: string): FastifyReply {
  return sendProblem(reply.header('www-authenticate', 'Bearer'), 401, detail);
}

/** onRequest hook of the /v1 routes: a source token, else a user session, else 401 — before any body is read. */
export function authenticate(db: Db, session: SessionAuthenticator | null) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(request);
    if (token) {
      const source = await verifiedSource(db, request, token);
      if (!source) return unauthorized(reply, 'The token is not valid or has been revoked.');
      request.principal = { practiceId: source.practiceId, source: source.source, userId: null };
      return;
    }
    const user = session ? await session(request) : null;
    if (!user) return unauthorized(reply, 'Send a source token as "Authorization: Bearer <token>", or sign in.');
    request.principal = user;
  };
}

/** The source product behind a request, for the routes only a source product may call (upload, complete). */
export function sourceOf(request: FastifyRequest): SourceScope | null {
  const principal = request.principal;
  return principal?.source ? { practiceId: principal.practiceId, source: principal.source } : null;
}

/** The practice user behind a request, for the routes only practice users may call (the review of matches). */
export function userOf(request: FastifyRequest): UserScope | null {
  const principal = request.principal;
  return principal?.userId ? { practiceId: principal.practiceId, userId: principal.userId } : null;
}

/** The 403 of a route for practice users only (SPEC §3); `action` says what only they do. */
export function forbiddenForSources(reply: FastifyReply, action = 'reviews matches'): FastifyReply {
  return sendProblem(reply, 403, `Only a signed-in practice user ${action}; a source token may not.`);
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route without authenticate()');
  return request.principal;
}

export function forbiddenForUsers(reply: FastifyReply): FastifyReply {
  return sendProblem(reply, 403, 'Only a source product (with its source token) sends batches and completes imports.');
}

export function requireAdmin(adminToken: string) {
  const expected = sha256(adminToken);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(request);
    if (!token || !timingSafeEqual(sha256(token), expected))
      return unauthorized(reply, 'Send the operator token as "Authorization: Bearer <token>".');
  };
}
