// Operators: create and list practices, issue, list and revoke source tokens, create users and reset their
// passwords (SPEC §3 "Admin"). Secrets are shown once, when issued, and never listed. These run as the owner (the
// connecting role), not in a practice transaction: an operator acts across practices — creates them, writes the
// tables no tenant role may write (practices, source_tokens, users) — and is authenticated by the operator token.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  NewPractice,
  NewSourceToken,
  NewUser,
  Practice,
  PracticeList,
  PracticeUser,
  ResetPassword,
  RevokedToken,
  RevokeToken,
  SourceToken,
  TokenList,
} from '../../contract/admin.contract.ts';
import { IdParams, ref } from '../../contract/common.ts';
import { problems } from '../../contract/problem.contract.ts';
import type { Db } from '../../db/pool.ts';
import { createPractice, createSourceToken, listPractices, listSourceTokens, revokeToken } from '../../practices/practice.service.ts';
import { createUser, resetPassword } from '../../users/user.service.ts';
import { requireAdmin } from '../auth.ts';
import { OPERATOR_TOKEN } from '../openapi.ts';
import { answer } from '../answer.ts';

export const adminRoutes: FastifyPluginCallbackTypebox<{ db: Db; adminToken: string }> = (app, { db, adminToken }, done) => {
  app.addHook('preHandler', requireAdmin(adminToken));
  // Every route here takes the operator token, so every one is documented with it.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: OPERATOR_TOKEN };
  });

  app.post(
    '/admin/practices',
    {
      schema: {
        operationId: 'createPractice',
        summary: 'Create a practice',
        tags: ['admin'],
        body: ref(NewPractice),
        response: { 201: ref(Practice), ...problems(400, 401) },
      },
    },
    async (request, reply) => reply.code(201).send(await createPractice(db, request.body.name)),
  );

  app.post(
    '/admin/practices/:id/tokens',
    {
      schema: {
        operationId: 'issueSourceToken',
        summary: 'Issue a source token for a practice (shown once, stored hashed)',
        tags: ['admin'],
        params: IdParams,
        body: ref(NewSourceToken),
        response: { 201: ref(SourceToken), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const outcome = await createSourceToken(db, request.params.id, request.body.source);
      return answer(reply, outcome, 201);
    },
  );

  app.post(
    '/admin/practices/:id/users',
    {
      schema: {
        operationId: 'createUser',
        summary: 'Create a practice user who signs in to the web UI (password stored with scrypt)',
        tags: ['admin'],
        params: IdParams,
        body: ref(NewUser),
        response: { 201: ref(PracticeUser), ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const outcome = await createUser(db, request.params.id, request.body.email, request.body.password);
      return answer(reply, outcome, 201);
    },
  );

  app.get(
    '/admin/practices',
    {
      schema: {
        operationId: 'listPractices',
        summary: 'List the practices, oldest first, with their user count and the sources holding a live token',
        tags: ['admin'],
        response: { 200: ref(PracticeList), ...problems(401) },
      },
    },
    async () => ({ practices: await listPractices(db) }),
  );

  app.get(
    '/admin/practices/:id/tokens',
    {
      schema: {
        operationId: 'listSourceTokens',
        summary: "List a practice's source tokens, revoked ones included (never their secrets)",
        tags: ['admin'],
        params: IdParams,
        response: { 200: ref(TokenList), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const outcome = await listSourceTokens(db, request.params.id);
      return answer(reply, outcome);
    },
  );

  app.post(
    '/admin/tokens/revoke',
    {
      schema: {
        operationId: 'revokeSourceToken',
        summary: 'Revoke a source token, given its id or the whole token; it then answers 401 (revoking twice keeps the first time)',
        tags: ['admin'],
        body: ref(RevokeToken),
        response: { 200: ref(RevokedToken), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const outcome = await revokeToken(db, request.body.token);
      return answer(reply, outcome);
    },
  );

  app.post(
    '/admin/users/reset-password',
    {
      schema: {
        operationId: 'resetUserPassword',
        summary: 'Set a new password for a practice user; every session of the user ends',
        tags: ['admin'],
        body: ref(ResetPassword),
        response: { 200: ref(PracticeUser), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const outcome = await resetPassword(db, request.body.email, request.body.password);
      return answer(reply, outcome);
    },
  );
  done();
};
