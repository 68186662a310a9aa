// Activation (SPEC §10): a practice user activates BrightClient and follows each product's migration. Practice
// users only (SPEC §3): a source product is answered 403, it fulfils its activation import through /v1/imports.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Activation } from '../../contract/activation.contract.ts';
import { ref } from '../../contract/common.ts';
import { problems } from '../../contract/problem.contract.ts';
import type { Db } from '../../db/pool.ts';
import { withPractice, withPracticeWrite } from '../../db/tenant.ts';
import { activate, getActivation } from '../../imports/activation.service.ts';
import { SESSION_COOKIE_ONLY } from '../openapi.ts';
import { authenticate, forbiddenForSources, userOf, type SessionAuthenticator } from '../auth.ts';

export const activationRoutes: FastifyPluginCallbackTypebox<{ db: Db; session: SessionAuthenticator | null }> = (
  app,
  { db, session },
  done,
) => {
  app.addHook('onRequest', authenticate(db, session));
  const answer = ref(Activation);

  app.get(
    '/v1/activation',
    {
      schema: {
        operationId: 'getActivation',
        summary: 'How far each of the practice’s products is with its migration into BrightClient',
        tags: ['activation'],
        security: SESSION_COOKIE_ONLY,
        response: { 200: answer, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      if (!user) return forbiddenForSources(reply, 'activates BrightClient');
      return withPractice(db, user.practiceId, (tx) => getActivation(tx, user.practiceId));
    },
  );

  app.post(
    '/v1/activation',
    {
      schema: {
        operationId: 'activate',
        summary: 'Activate BrightClient: an activation import for every connected product that has not migrated yet',
        description:
          'Opens, for every source with a source token and no completed import, an import of kind activation (receiving) for ' +
          'its agent to fulfil with its whole export. Idempotent: again, it answers the same imports; a source whose ' +
          'activation import was cancelled, expired or undone gets a new one. Needs X-CSRF-Token.',
        tags: ['activation'],
        security: SESSION_COOKIE_ONLY,
        response: { 200: answer, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      if (!user) return forbiddenForSources(reply, 'activates BrightClient');
      return withPracticeWrite(db, user.practiceId, (tx) => activate(tx, user));
    },
  );
  done();
};
