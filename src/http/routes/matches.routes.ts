// The review of cross-product matches (SPEC §9): the review queue, merge, keep-apart and split. Practice users
// only (SPEC §3 "Who may call": a source token gets 403); their writes need the session's X-CSRF-Token header.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { ref } from '../../contract/common.ts';
import { MatchListQuery, MatchPage } from '../../contract/matches.contract.ts';
import { problems } from '../../contract/problem.contract.ts';
import type { Db } from '../../db/pool.ts';
import { withPractice } from '../../db/tenant.ts';
import { listMatches } from '../../repository/match-review.service.ts';
import { authenticate, forbiddenForSources, userOf, type SessionAuthenticator } from '../auth.ts';
import { SESSION_COOKIE_ONLY } from '../openapi.ts';
import { sendFailure } from '../problem.ts';

export const matchRoutes: FastifyPluginCallbackTypebox<{ db: Db; session: SessionAuthenticator | null }> = (app, { db, session }, done) => {
  app.addHook('onRequest', authenticate(db, session));

  app.get(
    '/v1/matches',
    {
      schema: {
        operationId: 'listMatches',
        summary: 'The practice’s review items: central records that may be one, for a practice user to decide',
        description: 'Open items by default (`status=closed`: the decided ones), oldest first. Pass `nextCursor` back as `cursor`.',
        tags: ['matches'],
        security: SESSION_COOKIE_ONLY,
        querystring: MatchListQuery,
        response: { 200: ref(MatchPage), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      if (!user) return forbiddenForSources(reply);
      const q = request.query;
      const outcome = await withPractice(db, user.practiceId, (tx) =>
        listMatches(tx, user.practiceId, { status: q.status ?? 'open', limit: q.limit ?? 50, cursor: q.cursor ?? null }),
      );
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );
  done();
};
