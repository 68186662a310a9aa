// Requests per minute per caller: a source token (by its public id part, never its secret), a signed-in session,
// or else the client address. Counted in this process's memory: with several API processes each counts its own.
// Over the limit: 429 with Retry-After. Health checks and the API docs are not counted.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

function callerKey(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? /^Bearer\s+bcs_([0-9a-f]{32})_/i.exec(header.trim()) : null;
  if (token) return `token:${token[1]}`;
  const cookie = request.headers.cookie;
  const session = typeof cookie === 'string' ? /(?:^|;\s*)bc_session=([^;]+)/.exec(cookie) : null;
  if (session) return `session:${createHash('sha256').update(session[1]!).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

export async function registerRateLimit(app: FastifyInstance, perMinute: number): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    hook: 'onRequest', // before any body is read
    keyGenerator: callerKey,
    allowList: (request) => request.url === '/healthz' || request.url.startsWith('/docs'),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests: at most ${context.max} a minute for this caller. Try again in ${context.after}.`,
    }),
  });
}
