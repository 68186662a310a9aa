// Operators: create and list practices, issue, list and revoke source tokens, create users and reset their
// passwords (SPEC §3 "Admin"). Secrets are shown once, when issued, and never listed.
import type { FastifyInstance } from 'fastify';
import { problem, uuid } from '../../contract/api-schemas.ts';
import type { Db } from '../../db/pool.ts';
import {
  createPractice,
  createSourceToken,
  listPractices,
  listSourceTokens,
  revokeToken,
  SOURCE_PATTERN,
} from '../../practices/practice.service.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/password.ts';
import { createUser, resetPassword } from '../../users/user.service.ts';
import { requireAdmin } from '../auth.ts';
import { sendFailure } from '../problem.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const tokenSummary = {
  type: 'object',
  required: ['id', 'source', 'createdAt', 'revokedAt'],
  properties: {
    id: { ...uuid, description: 'the token id: the 32 hex digits after `bcs_`, as a UUID' },
    source: { type: 'string' },
    createdAt: dateTime,
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;
const password = { type: 'string', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH } as const;
const userAnswer = {
  type: 'object',
  required: ['id', 'practiceId', 'email'],
  properties: { id: uuid, practiceId: uuid, email: { type: 'string' } },
} as const;

export async function adminRoutes(app: FastifyInstance, { db, adminToken }: { db: Db; adminToken: string }): Promise<void> {
  app.addHook('preHandler', requireAdmin(adminToken));

  app.post<{ Body: { name: string } }>(
    '/admin/practices',
    {
      schema: {
        summary: 'Create a practice',
        tags: ['admin'],
        body: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } },
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { id: uuid, name: { type: 'string' } } }, 400: problem, 401: problem },
      },
    },
    async (request, reply) => reply.code(201).send(await createPractice(db, request.body.name)),
  );

  app.post<{ Params: { id: string }; Body: { source: string } }>(
    '/admin/practices/:id/tokens',
    {
      schema: {
        summary: 'Issue a source token for a practice (shown once, stored hashed)',
        tags: ['admin'],
        params: { type: 'object', required: ['id'], properties: { id: uuid } },
        body: {
          type: 'object',
          required: ['source'],
          properties: { source: { type: 'string', pattern: SOURCE_PATTERN, description: 'lower-case slug, e.g. brightmanager' } },
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { token: { type: 'string' } } }, 400: problem, 401: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const outcome = await createSourceToken(db, request.params.id, request.body.source);
      return outcome.ok ? reply.code(201).send(outcome.value) : sendFailure(reply, outcome.failure);
    },
  );

  app.post<{ Params: { id: string }; Body: { email: string; password: string } }>(
    '/admin/practices/:id/users',
    {
      schema: {
        summary: 'Create a practice user who signs in to the web UI (password stored with scrypt)',
        tags: ['admin'],
        params: { type: 'object', required: ['id'], properties: { id: uuid } },
        body: {
          type: 'object',
          required: ['email', 'password'],
          properties: {
            email: { type: 'string', minLength: 3, maxLength: 254 },
            password,
          },
          additionalProperties: false,
        },
        response: {
          201: userAnswer,
          400: problem,
          401: problem,
          404: problem,
          409: problem,
        },
      },
    },
    async (request, reply) => {
      const outcome = await createUser(db, request.params.id, request.body.email, request.body.password);
      return outcome.ok ? reply.code(201).send(outcome.value) : sendFailure(reply, outcome.failure);
    },
  );

  app.get(
    '/admin/practices',
    {
      schema: {
        summary: 'List the practices, oldest first, with their user count and the sources holding a live token',
        tags: ['admin'],
        response: {
          200: {
            type: 'object',
            required: ['practices'],
            properties: {
              practices: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'name', 'createdAt', 'users', 'sources'],
                  properties: {
                    id: uuid,
                    name: { type: 'string' },
                    createdAt: dateTime,
                    users: { type: 'integer' },
                    sources: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
          401: problem,
        },
      },
    },
    async () => ({ practices: await listPractices(db) }),
  );

  app.get<{ Params: { id: string } }>(
    '/admin/practices/:id/tokens',
    {
      schema: {
        summary: "List a practice's source tokens, revoked ones included (never their secrets)",
        tags: ['admin'],
        params: { type: 'object', required: ['id'], properties: { id: uuid } },
        response: {
          200: { type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: tokenSummary } } },
          400: problem,
          401: problem,
          404: problem,
        },
      },
    },
    async (request, reply) => {
      const outcome = await listSourceTokens(db, request.params.id);
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );

  app.post<{ Body: { token: string } }>(
    '/admin/tokens/revoke',
    {
      schema: {
        summary: 'Revoke a source token, given its id or the whole token; it then answers 401 (revoking twice keeps the first time)',
        tags: ['admin'],
        body: {
          type: 'object',
          required: ['token'],
          properties: { token: { type: 'string', minLength: 1, maxLength: 200, description: 'the token id, or the token itself' } },
          additionalProperties: false,
        },
        response: {
          200: {
            ...tokenSummary,
            required: [...tokenSummary.required, 'practiceId'],
            properties: { ...tokenSummary.properties, practiceId: uuid },
          },
          400: problem,
          401: problem,
          404: problem,
        },
      },
    },
    async (request, reply) => {
      const outcome = await revokeToken(db, request.body.token);
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );

  app.post<{ Body: { email: string; password: string } }>(
    '/admin/users/reset-password',
    {
      schema: {
        summary: 'Set a new password for a practice user; every session of the user ends',
        tags: ['admin'],
        body: {
          type: 'object',
          required: ['email', 'password'],
          properties: { email: { type: 'string', minLength: 3, maxLength: 254 }, password },
          additionalProperties: false,
        },
        response: { 200: userAnswer, 400: problem, 401: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const outcome = await resetPassword(db, request.body.email, request.body.password);
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );
}
