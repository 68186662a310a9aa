// Undo of an import (SPEC §10): the preview and the request. A practice user or the import's own source product.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { PgBoss } from 'pg-boss';
import { IdParams, ref } from '../../contract/common.ts';
import { ImportView } from '../../contract/imports.contract.ts';
import { problems } from '../../contract/problem.contract.ts';
import { UndoPreview } from '../../contract/undo.contract.ts';
import type { Db } from '../../db/pool.ts';
import { withPractice } from '../../db/tenant.ts';
import { previewUndo, requestUndo } from '../../imports/undo.service.ts';
import { authenticate, principalOf, type SessionAuthenticator } from '../auth.ts';
import { answer } from '../answer.ts';

export const undoRoutes: FastifyPluginCallbackTypebox<{ db: Db; boss: PgBoss; session: SessionAuthenticator | null }> = (
  app,
  { db, boss, session },
  done,
) => {
  app.addHook('onRequest', authenticate(db, session));

  app.get(
    '/v1/imports/:id/undo',
    {
      schema: {
        operationId: 'previewUndo',
        summary: 'What an undo of the import would remove and keep, per record type, and what would refuse it',
        tags: ['imports'],
        params: IdParams,
        response: { 200: ref(UndoPreview), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const outcome = await withPractice(db, principal.practiceId, (tx) => previewUndo(tx, principal, request.params.id));
      return answer(reply, outcome);
    },
  );

  app.post(
    '/v1/imports/:id/undo',
    {
      schema: {
        operationId: 'undoImport',
        summary: 'Undo a completed import and its completed retries: status undoing, then undone',
        description:
          'Removes the central records only these imports link, removes their source links from records other sources ' +
          'link too, and releases their source keys. Asked again, answers the undoing or undone import. Refused with 409: ' +
          'import_not_completed, dry_run, undo_has_dependants (counts in `dependants`).',
        tags: ['imports'],
        params: IdParams,
        response: { 202: ref(ImportView), ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const outcome = await requestUndo(db, boss, principalOf(request), request.params.id);
      return answer(reply, outcome, 202);
    },
  );
  done();
};
