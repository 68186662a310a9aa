// The practice's open failures across imports (SPEC §6): the list a practice works through, and its reasons.
// A source token sees its own source's failures only.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ref } from '../../contract/common.ts';
import { FailureFile, FailureGroups, FailureGroupsQuery, FailuresQuery } from '../../contract/failures.contract.ts';
import { problems } from '../../contract/problem.contract.ts';
import type { Db } from '../../db/pool.ts';
import { practiceReader, withPractice } from '../../db/tenant.ts';
import { failuresFile } from '../../reports/error-file.ts';
import { sendFile } from '../download.ts';
import { failureGroups, type FailureFilter } from '../../reports/failures.service.ts';
import { authenticate, principalOf, type SessionAuthenticator } from '../auth.ts';

function filterOf(request: FastifyRequest, q: Static<typeof FailureGroupsQuery>): FailureFilter {
  const principal = principalOf(request);
  // A source product sees its own source only: asking for another one finds nothing ('' is no source's slug).
  const foreign = principal.source !== null && q.source !== undefined && q.source !== principal.source;
  return {
    practiceId: principal.practiceId,
    source: foreign ? '' : (principal.source ?? q.source ?? null),
    type: q.type ?? null,
    code: q.code ?? null,
  };
}

export const failureRoutes: FastifyPluginCallbackTypebox<{ db: Db; session: SessionAuthenticator | null }> = (
  app,
  { db, session },
  done,
) => {
  app.addHook('onRequest', authenticate(db, session));

  app.get(
    '/v1/failures',
    {
      schema: {
        operationId: 'listFailures',
        summary: 'The practice’s open failures: every failing field of every record still failing, across imports',
        description:
          'The error file’s columns plus import_id and source; CSV with BOM by default, ?format=json for JSON, ?format=xlsx for ' +
          'Excel. Root causes come ' +
          'first. A ref that failed in several imports (an import and its retries) is listed from the latest. Dry runs, ' +
          'cancelled and undone imports contribute nothing.',
        tags: ['failures'],
        querystring: FailuresQuery,
        response: { 200: FailureFile, ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const filter = filterOf(request, request.query);
      // Streamed page by page, each page its own practice-scoped read.
      const reader = practiceReader(db, filter.practiceId);
      const limit = request.query.limit ?? null;
      return sendFile(reply, request.query.format, 'brightclient-open-failures', (format) => failuresFile(reader, filter, format, limit));
    },
  );

  app.get(
    '/v1/failures/groups',
    {
      schema: {
        operationId: 'listFailureGroups',
        summary: 'The open failures grouped by reason (code, record type and field), root causes first',
        tags: ['failures'],
        querystring: FailureGroupsQuery,
        response: { 200: ref(FailureGroups), ...problems(400, 401) },
      },
    },
    async (request) => {
      const filter = filterOf(request, request.query);
      return { groups: await withPractice(db, filter.practiceId, (tx) => failureGroups(tx, filter)) };
    },
  );
  done();
};
