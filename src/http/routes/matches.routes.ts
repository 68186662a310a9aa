// The review of cross-product matches (SPEC §9): the review queue, merge, keep-apart and split. Practice users
// only (SPEC §3 "Who may call": a source token gets 403); their writes need the session's X-CSRF-Token header.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { IdParams, ref } from '../../contract/common.ts';
import { ChangedRecords, MatchListQuery, MatchPage, REVIEW_RECORD_TYPES, SplitBody } from '../../contract/matches.contract.ts';
import { problems } from '../../contract/problem.contract.ts';
import type { Db } from '../../db/pool.ts';
import { withPractice } from '../../db/tenant.ts';
import { keepApart, mergeMatch, splitOff } from '../../repository/match-decision.service.ts';
import { listMatches } from '../../repository/match-review.service.ts';
import { authenticate, forbiddenForSources, userOf, type SessionAuthenticator } from '../auth.ts';
import { SESSION_COOKIE_ONLY } from '../openapi.ts';
import { answer } from '../answer.ts';

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
      return answer(reply, outcome);
    },
  );

  const decided = { 200: ref(ChangedRecords), ...problems(400, 401, 403, 404, 409, 503) };

  app.post(
    '/v1/matches/:id/merge',
    {
      schema: {
        operationId: 'mergeMatch',
        summary: 'Make the item’s records one: the older survives, the other’s links, roles and addresses move to it',
        description:
          'The survivor’s values stand and its empty fields are filled; the other record’s differing values are kept as ' +
          'its sources’ values. The other id then answers 404 with `mergedInto`. Merging a merged item again answers ' +
          'the same; a kept-apart or superseded item answers 409 match_decided. While an import of the practice is ' +
          'being processed, 503 (Retry-After).',
        tags: ['matches'],
        security: SESSION_COOKIE_ONLY,
        params: IdParams,
        response: decided,
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      if (!user) return forbiddenForSources(reply);
      const outcome = await mergeMatch(db, user, request.params.id);
      return answer(reply, outcome);
    },
  );

  app.post(
    '/v1/matches/:id/keep-apart',
    {
      schema: {
        operationId: 'keepApart',
        summary: 'Close the item for good: its records are different (no import opens it again)',
        description: 'Keeping a kept-apart item apart again answers the same; a merged or superseded one answers 409 match_decided.',
        tags: ['matches'],
        security: SESSION_COOKIE_ONLY,
        params: IdParams,
        response: decided,
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      if (!user) return forbiddenForSources(reply);
      const outcome = await keepApart(db, user, request.params.id);
      return answer(reply, outcome);
    },
  );

  for (const type of REVIEW_RECORD_TYPES) {
    const noun = type === 'clients' ? 'client' : 'contact';
    app.post(
      `/v1/${type}/:id/split`,
      {
        schema: {
          operationId: type === 'clients' ? 'splitClient' : 'splitContact',
          summary: `Give a source record of the ${noun} its own central record again, with its own values`,
          description:
            'Its kept values where it sent others, the central record’s where it sent the same; the roles and addresses ' +
            'its source backs go with it (copied when another source backs them too). Answers both records. The same ' +
            'split again answers the same; the record’s only source record answers 409 split_only_source.',
          tags: ['matches'],
          security: SESSION_COOKIE_ONLY,
          params: IdParams,
          body: ref(SplitBody),
          response: decided,
        },
      },
      async (request, reply) => {
        const user = userOf(request);
        if (!user) return forbiddenForSources(reply);
        const outcome = await splitOff(db, user, type, request.params.id, request.body);
        return answer(reply, outcome);
      },
    );
  }
  done();
};
