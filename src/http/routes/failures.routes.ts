// The practice's open failures across imports (SPEC §6): the list a practice works through, and its reasons.
// A source token sees its own source's failures only.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem } from '../../contract/api-schemas.ts';
import { ERROR_CODES, RECORD_TYPES, type ErrorCode, type RecordType } from '../../contract/records.ts';
import type { Db } from '../../db/pool.ts';
import { practiceReader, withPractice } from '../../db/tenant.ts';
import { failuresFile, FILE_FORMATS, type FileFormat } from '../../reports/error-file.ts';
import { sendFile } from '../download.ts';
import { failureGroups, type FailureFilter } from '../../reports/failures.service.ts';
import { authenticate, principalOf, type SessionAuthenticator } from '../auth.ts';

interface FilterQuery {
  source?: string;
  type?: RecordType;
  code?: ErrorCode;
}

const filterProperties = {
  source: { type: 'string', pattern: '^[a-z][a-z0-9_-]{1,39}$', description: 'a source product, e.g. brightmanager' },
  type: { type: 'string', enum: RECORD_TYPES },
  code: {
    type: 'string',
    enum: ERROR_CODES,
    description: 'a stable reason code; parent_failed and parent_not_found are knock-on and link failures, the others field faults',
  },
} as const;

const group = {
  type: 'object',
  properties: {
    code: { type: 'string', enum: ERROR_CODES },
    recordType: { type: 'string', enum: RECORD_TYPES },
    field: { type: 'string' },
    rootCause: { type: 'boolean', description: 'false: records that failed because a record they depend on failed' },
    records: { type: 'integer' },
    rows: { type: 'integer' },
  },
} as const;

function filterOf(request: FastifyRequest<{ Querystring: FilterQuery }>): FailureFilter {
  const principal = principalOf(request);
  const q = request.query;
  // A source product sees its own source only: asking for another one finds nothing ('' is no source's slug).
  const foreign = principal.source !== null && q.source !== undefined && q.source !== principal.source;
  return {
    practiceId: principal.practiceId,
    source: foreign ? '' : (principal.source ?? q.source ?? null),
    type: q.type ?? null,
    code: q.code ?? null,
  };
}

export function failureRoutes(
  app: FastifyInstance,
  { db, session }: { db: Db; session: SessionAuthenticator | null },
  done: () => void,
): void {
  app.addHook('onRequest', authenticate(db, session));

  app.get<{ Querystring: FilterQuery & { format?: FileFormat; limit?: number } }>(
    '/v1/failures',
    {
      schema: {
        summary: 'The practice’s open failures: every failing field of every record still failing, across imports',
        description:
          'The error file’s columns plus import_id and source; CSV with BOM by default, ?format=json for JSON, ?format=xlsx for ' +
          'Excel. Root causes come ' +
          'first. A ref that failed in several imports (an import and its retries) is listed from the latest. Dry runs, ' +
          'cancelled and undone imports contribute nothing.',
        tags: ['failures'],
        querystring: {
          type: 'object',
          properties: {
            ...filterProperties,
            format: { type: 'string', enum: FILE_FORMATS },
            limit: { type: 'integer', minimum: 1, maximum: 1_000_000, description: 'at most this many rows, from the first' },
          },
          additionalProperties: false,
        },
        response: { 400: problem, 401: problem },
      },
    },
    async (request, reply) => {
      const filter = filterOf(request);
      // Streamed page by page, each page its own practice-scoped read.
      const reader = practiceReader(db, filter.practiceId);
      const limit = request.query.limit ?? null;
      return sendFile(reply, request.query.format, 'brightclient-open-failures', (format) => failuresFile(reader, filter, format, limit));
    },
  );

  app.get<{ Querystring: FilterQuery }>(
    '/v1/failures/groups',
    {
      schema: {
        summary: 'The open failures grouped by reason (code, record type and field), root causes first',
        tags: ['failures'],
        querystring: { type: 'object', properties: filterProperties, additionalProperties: false },
        response: { 200: { type: 'object', properties: { groups: { type: 'array', items: group } } }, 400: problem, 401: problem },
      },
    },
    async (request) => {
      const filter = filterOf(request);
      return { groups: await withPractice(db, filter.practiceId, (tx) => failureGroups(tx, filter)) };
    },
  );
  done();
}
