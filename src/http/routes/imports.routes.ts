// The source products' import API (SPEC §3): thin handlers that parse, call the import service and answer.
import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PgBoss } from 'pg-boss';
import { Batch } from '../../contract/batch.contract.ts';
import { IdParams, ref } from '../../contract/common.ts';
import {
  BatchParams,
  BatchReceipt,
  CompleteBody,
  ErrorFile,
  ErrorFileQuery,
  FailedRefs,
  IdempotencyHeaders,
  ImportEvents,
  ImportList,
  ImportListQuery,
  ImportView,
  StartImportBody,
} from '../../contract/imports.contract.ts';
import { problems } from '../../contract/problem.contract.ts';
import type { Db } from '../../db/pool.ts';
import { practiceReader, withPractice } from '../../db/tenant.ts';
import {
  completeImport,
  getImport,
  getFailedRefs,
  listImports,
  receiveBatch,
  startImport,
  startRetry,
} from '../../imports/import.service.ts';
import { errorFile } from '../../reports/error-file.ts';
import { sendFile } from '../download.ts';
import { cancelImport } from '../../imports/cancel.service.ts';
import { isFinal } from '../../domain/import-lifecycle.ts';
import type { ProgressHub } from '../../reports/progress-hub.ts';
import type { IntakePool } from '../../intake/intake-pool.ts';
import { BATCH_LIMIT_BYTES, readBody } from '../../intake/read-body.ts';
import { authenticate, forbiddenForUsers, principalOf, sourceOf, type SessionAuthenticator } from '../auth.ts';
import { answer, answerStart } from '../answer.ts';
import { sendFailure, sendProblem } from '../problem.ts';
import { intakeGate } from '../intake-gate.ts';

const importAnswer = ref(ImportView);

export interface ImportRoutesOptions {
  db: Db;
  boss: PgBoss;
  hub: ProgressHub;
  intake: IntakePool;
  intakeConcurrency: number;
  /** How long a batch upload may send nothing before it is answered 408. */
  bodyIdleMs: number;
  session: SessionAuthenticator | null;
}

export const importRoutes: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (
  app,
  { db, boss, hub, intake, intakeConcurrency, bodyIdleMs, session },
) => {
  // onRequest, before any body is read: an unauthenticated upload is refused at once and never holds an intake slot.
  app.addHook('onRequest', authenticate(db, session));

  app.post(
    '/v1/imports',
    {
      schema: {
        operationId: 'startImport',
        summary: 'Start an import (a retry of a completed one, or a dry run) for the token’s practice and source',
        description: 'With an Idempotency-Key header, the same key again answers 200 with the import it started.',
        tags: ['imports'],
        headers: IdempotencyHeaders,
        body: ref(StartImportBody),
        response: { 200: importAnswer, 201: importAnswer, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const source = sourceOf(request);
      if (!source) return forbiddenForUsers(reply);
      const { retryOf = null, dryRun = false } = request.body ?? {};
      const outcome = await startImport(db, source, retryOf, request.headers['idempotency-key'] ?? null, null, dryRun);
      return answerStart(reply, outcome);
    },
  );

  app.get(
    '/v1/imports',
    {
      schema: {
        operationId: 'listImports',
        summary: 'The practice’s imports from this source, newest first',
        tags: ['imports'],
        querystring: ImportListQuery,
        response: { 200: ref(ImportList), ...problems(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      const principal = principalOf(request);
      const imports = await withPractice(db, principal.practiceId, (tx) =>
        listImports(tx, principal, {
          status: q.status ?? null,
          hasFailures: q.hasFailures ?? null,
          stillFailing: q.stillFailing ?? null,
          since: q.since ? new Date(q.since) : null,
          limit: q.limit ?? 50,
        }),
      );
      return { imports };
    },
  );

  app.get(
    '/v1/imports/:id',
    {
      schema: {
        operationId: 'getImport',
        summary: 'One import',
        tags: ['imports'],
        params: IdParams,
        response: { 200: importAnswer, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const outcome = await withPractice(db, principal.practiceId, (tx) => getImport(tx, principal, request.params.id));
      return answer(reply, outcome);
    },
  );

  app.post(
    '/v1/imports/:id/complete',
    {
      schema: {
        operationId: 'completeImport',
        summary: 'Say that batches 1..batchCount were all sent; processing starts',
        tags: ['imports'],
        params: IdParams,
        body: ref(CompleteBody),
        response: { 202: importAnswer, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const source = sourceOf(request);
      if (!source) return forbiddenForUsers(reply);
      const outcome = await completeImport(db, boss, source, request.params.id, request.body.batchCount);
      return answer(reply, outcome, 202);
    },
  );

  app.get(
    '/v1/imports/:id/errors',
    {
      schema: {
        operationId: 'getErrorFile',
        summary: 'The error file: one row per failing field (CSV with BOM by default, ?format=json for JSON, ?format=xlsx for Excel)',
        tags: ['imports'],
        params: IdParams,
        querystring: ErrorFileQuery,
        response: { 200: ErrorFile, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const found = await withPractice(db, principal.practiceId, (tx) => getImport(tx, principal, request.params.id));
      if (!found.ok) return sendFailure(reply, found.failure);
      // Streamed page by page, each page its own practice-scoped read.
      const reader = practiceReader(db, principal.practiceId);
      return sendFile(reply, request.query.format, `brightclient-errors-${request.params.id}`, (format) =>
        errorFile(reader, request.params.id, format),
      );
    },
  );

  app.get(
    '/v1/imports/:id/failed-refs',
    {
      schema: {
        operationId: 'getFailedRefs',
        summary: 'Refs that failed in this import and have not been imported since',
        tags: ['imports'],
        params: IdParams,
        response: { 200: ref(FailedRefs), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const outcome = await withPractice(db, principal.practiceId, (tx) => getFailedRefs(tx, principal, request.params.id));
      return answer(reply, outcome);
    },
  );

  app.post(
    '/v1/imports/:id/retry',
    {
      schema: {
        operationId: 'startRetry',
        summary: 'Start a retry of this import’s failed records; the source then uploads them to it and completes it',
        description: 'With an Idempotency-Key header, the same key again answers 200 with the retry it started.',
        tags: ['imports'],
        params: IdParams,
        headers: IdempotencyHeaders,
        response: { 200: importAnswer, 201: importAnswer, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const outcome = await startRetry(db, principalOf(request), request.params.id, request.headers['idempotency-key'] ?? null);
      return answerStart(reply, outcome);
    },
  );

  app.post(
    '/v1/imports/:id/cancel',
    {
      schema: {
        operationId: 'cancelImport',
        summary: 'Cancel an import that is still receiving: its staged records are dropped and nothing is committed',
        description: 'By its source product or a practice user (who is recorded). Any other status answers 409 import_not_receiving.',
        tags: ['imports'],
        params: IdParams,
        response: { 200: importAnswer, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const outcome = await cancelImport(db, principalOf(request), request.params.id);
      return answer(reply, outcome);
    },
  );

  // Open event streams end when the server closes, or they would hold it open.
  const streams = new Set<() => void>();
  app.addHook('preClose', () => {
    for (const end of streams) end();
  });

  app.get(
    '/v1/imports/:id/events',
    {
      schema: {
        operationId: 'followImport',
        summary: 'Server-Sent Events: `progress` with the import object on every change, then `done` once completed or cancelled',
        tags: ['imports'],
        params: IdParams,
        response: { 200: ImportEvents, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const scope = principalOf(request);
      // A client may go away at any moment — before this handler ran (while it was authenticated), or while the
      // import is read — and a 'close' missed then would leave the poller reading for ever with nobody listening:
      // the stream's end is wired before anything is awaited, and a response already closed ends it at once.
      const res = reply.raw;
      let ended = false;
      let unsubscribe = () => {};
      const keepAlive = setInterval(() => res.headersSent && res.write(': keep-alive\n\n'), 15_000);
      const end = () => {
        if (ended) return;
        ended = true;
        streams.delete(end);
        clearInterval(keepAlive);
        unsubscribe();
        res.end();
      };
      res.on('close', end);
      streams.add(end);
      if (res.closed) end();
      const found = await withPractice(db, scope.practiceId, (tx) => getImport(tx, scope, request.params.id));
      if (ended) return reply.hijack();
      if (!found.ok) return sendFailure(reply, found.failure);
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      unsubscribe = hub.subscribe(scope, request.params.id, (view) => {
        res.write(`event: progress\ndata: ${JSON.stringify(view)}\n\n`);
        if (isFinal(view.status)) {
          res.write(`event: done\ndata: ${JSON.stringify(view)}\n\n`);
          setImmediate(end);
        }
      });
    },
  );

  // Batches: the body is read here, not by Fastify's parser, so that gzip is inflated under the 10 MB limit and
  // the exact bytes can be hashed for idempotent replays. Admission: see intake-gate.ts.
  const gate = intakeGate(intakeConcurrency);
  const limits = { bytes: BATCH_LIMIT_BYTES, idleMs: bodyIdleMs };
  await app.register((plain, _options, registered) => {
    const batches = plain.withTypeProvider<TypeBoxTypeProvider>();
    batches.removeAllContentTypeParsers();
    batches.addContentTypeParser(['application/json'], (request, payload, done) => {
      gate
        .reading(principalOf(request).practiceId, () => readBody(payload, request.headers['content-encoding'], limits))
        .then(
          (outcome) => done(null, outcome),
          (error: Error) => done(error, undefined),
        );
    });
    // Intake checks the batch record by record (a bad record is rows of the error file, never a 400 from a
    // schema), so the Batch schema documents the body and is not applied to it; path parameters are still checked.
    batches.setValidatorCompiler((route) => (route.httpPart === 'body' ? () => true : TypeBoxValidatorCompiler(route)));

    batches.put(
      '/v1/imports/:id/batches/:n',
      {
        schema: {
          operationId: 'uploadBatch',
          summary: 'Upload batch n of an import (≤ 10 MB decoded, gzip accepted)',
          description:
            'Body: {"type": "clients" | "contacts" | "addresses", "records": [...]}. Identical bytes again replay the receipt (200).',
          tags: ['imports'],
          params: BatchParams,
          body: ref(Batch),
          response: { 200: ref(BatchReceipt), 202: ref(BatchReceipt), ...problems(400, 401, 403, 404, 408, 409, 413, 415, 503) },
        },
      },
      async (request, reply) => {
        // What the batch reader above made of the body (the Batch schema describes the JSON it read).
        const body = request.body as unknown as Awaited<ReturnType<typeof readBody>> | undefined;
        if (!body) return sendProblem(reply, 400, 'The body is empty; send a batch as JSON.');
        if (!body.ok) return sendFailure(reply, body.failure);
        const source = sourceOf(request);
        if (!source) return forbiddenForUsers(reply);
        const outcome = await gate.preparing(() =>
          receiveBatch(db, intake, source, request.params.id, Number(request.params.n), body.value),
        );
        if (!outcome.ok) return sendFailure(reply, outcome.failure);
        return reply.code(outcome.value.status === 'created' ? 202 : 200).send(outcome.value.receipt);
      },
    );
    registered();
  });
};
