// Who is calling: a source product (Bearer source token) or an operator (Bearer admin token).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/pool.ts';
import { authenticateSource, type SourcePrincipal } from '../practices/practice.service.ts';
import { sha256 } from '../practices/tokens.ts';
import { sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    source: SourcePrincipal | null;
  }
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S{1,512})$/i.exec(header.trim());
  return match ? match[1]! : null;
}

function unauthorized(reply: FastifyReply, detail: string): FastifyReply {
  return sendProblem(reply.header('www-authenticate', 'Bearer'), 401, detail);
}

export function requireSource(db: Db) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(request);
    if (!token) return unauthorized(reply, 'Send a source token as "Authorization: Bearer <token>".');
    const principal = await authenticateSource(db, token);
    if (!principal) return unauthorized(reply, 'The token is not valid or has been revoked.');
    request.source = principal;
  };
}

export function requireAdmin(adminToken: string) {
  const expected = sha256(adminToken);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(request);
    if (!token || !timingSafeEqual(sha256(token), expected)) return unauthorized(reply, 'Send the operator token as "Authorization: Bearer <token>".');
  };
}
