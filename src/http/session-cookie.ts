// The session on the HTTP edge: the cookie that carries its id, and the SessionAuthenticator that turns a request
// into a practice user's Principal, refusing state-changing requests whose CSRF header does not match.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/pool.ts';
import type { Principal } from '../domain/scope.ts';
import type { SessionAuthenticator } from './auth.ts';
import { verifiedSession } from './caller.ts';
import { csrfTokenMatches, SESSION_LIFETIME_SECONDS, type SessionUser } from '../users/session.service.ts';

export const SESSION_COOKIE = 'bc_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Thrown from onRequest hooks; the error handler answers it as a 403 problem. */
class CsrfError extends Error {
  statusCode = 403;
  constructor() {
    super(`This request needs the ${CSRF_HEADER} header of the signed-in session; reload the page and try again.`);
  }
}

export function sessionIdOf(request: FastifyRequest): string | null {
  const value = request.cookies[SESSION_COOKIE];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

/** The user of the request's session, or null; throws CsrfError for a state-changing request without the token. */
export async function sessionUserOf(db: Db, request: FastifyRequest): Promise<{ user: SessionUser; sessionId: string } | null> {
  const sessionId = sessionIdOf(request);
  if (!sessionId) return null;
  const user = await verifiedSession(db, request, sessionId);
  if (!user) return null;
  if (!SAFE_METHODS.has(request.method)) {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !csrfTokenMatches(sessionId, presented)) throw new CsrfError();
  }
  return { user, sessionId };
}

export function sessionAuthenticator(db: Db): SessionAuthenticator {
  return async (request): Promise<Principal | null> => {
    const found = await sessionUserOf(db, request);
    return found ? { practiceId: found.user.practiceId, source: null, userId: found.user.userId } : null;
  };
}

// Secure whenever the browser reached us over HTTPS, directly or through a TLS-terminating proxy. A forged
// X-Forwarded-Proto only makes the forger's own cookie stricter.
function secure(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secure(request),
    path: '/',
    maxAge: SESSION_LIFETIME_SECONDS,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(request), path: '/' });
}
