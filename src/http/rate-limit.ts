// Requests per minute per caller, keyed on what the request verifiably is: a valid source token (by its id), a
// live session, or else the client address. A made-up token or cookie is only an address, so inventing one never
// buys a fresh budget or spends someone else's, and the sign-in route's per-address limit holds with any header.
// Counted before any route's own hooks, so refusals (401, 404) count too. Counted in this process's memory: with
// several API processes each counts its own. Over the limit: 429 with Retry-After. Health checks and the API docs
// are not counted.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { Db } from '../db/pool.ts';
import { parseSourceToken } from '../practices/tokens.ts';
import { SESSION_COOKIE } from './session-cookie.ts';
import { bearer, verifiedSession, verifiedSource } from './caller.ts';

const SESSION_ID = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]{43})(?:;|$)`);

export interface RateLimitOptions {
  db: Db;
  perMinute: number;
  /** Whether practice users' sessions are accepted (only then does a session cookie name a caller). */
  sessions: boolean;
}

async function callerKey(db: Db, sessions: boolean, request: FastifyRequest): Promise<string> {
  const token = bearer(request);
  const tokenId = token ? parseSourceToken(token)?.id : undefined;
  if (token && tokenId && (await verifiedSource(db, request, token))) return `token:${tokenId}`;
  const cookie = request.headers.cookie;
  const sessionId = sessions && typeof cookie === 'string' ? SESSION_ID.exec(cookie)?.[1] : undefined;
  if (sessionId && (await verifiedSession(db, request, sessionId))) {
    return `session:${createHash('sha256').update(sessionId).digest('base64url').slice(0, 22)}`;
  }
  return `ip:${request.ip}`;
}

export async function registerRateLimit(app: FastifyInstance, { db, perMinute, sessions }: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => callerKey(db, sessions, request),
    allowList: (request) => request.url === '/healthz' || request.url.startsWith('/docs'),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests: at most ${context.max} a minute for this caller. Try again in ${context.after}.`,
    }),
  });
  // At the root and first, before any body is read and before the routes' own authentication.
  app.addHook('onRequest', app.rateLimit());
}
