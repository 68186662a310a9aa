// Operators: create practices and issue source tokens (SPEC §3 "Admin").
import type { FastifyInstance } from 'fastify';
import { problem, uuid } from '../../contract/api-schemas.ts';
import type { Db } from '../../db/pool.ts';
import { createPractice, createSourceToken, SOURCE_PATTERN } from '../../practices/practice.service.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/password.ts';
import { createUser } from '../../users/user.service.ts';
import { requireAdmin } from '../auth.ts';
import { sendFailure } from '../problem.ts';

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
            password: { type: 'string', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH },
          },
          additionalProperties: false,
        },
        response: {
          201: { type: 'object', properties: { id: uuid, practiceId: uuid, email: { type: 'string' } } },
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
}
