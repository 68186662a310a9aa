// The import API's schemas (SPEC §3, §5): the import object, batch receipts, and every request of /v1/imports.
//
// Why TypeBox (`typebox` 1.x with @fastify/type-provider-typebox 6, which supports Fastify 5): a schema is written
// once as a value that is plain JSON Schema — validated by Fastify's own Ajv (so coercion and error messages stay
// as they were), serialised by fast-json-stringify and published by @fastify/swagger — and its type is `Static<>`
// of the same value, which the type provider also applies to each handler's request and reply. json-schema-to-ts
// derives types from `as const` literals instead, which works too but costs far more type-checking time on schemas
// of this size and cannot name a schema and its type in one declaration.
import { Type, type Static, type TSchema } from 'typebox';
import { DateTime, Nullable, ref, Streamed, StringEnum, Uuid } from './common.ts';
import { ERROR_CODES, RECORD_TYPE_SINGULAR, RECORD_TYPES } from './records.ts';
// The closed lists of an import's life are written once, in the life-cycle module (a leaf that imports nothing).
import { CANCEL_REASONS, IMPORT_KINDS, IMPORT_PHASES, IMPORT_STATUSES } from '../domain/import-lifecycle.ts';

export type { CancelReason, ImportKind, ImportPhase, ImportStatus } from '../domain/import-lifecycle.ts';

export const ErrorCodeSchema = StringEnum(ERROR_CODES, {
  description: 'a stable record error code; parent_failed and parent_not_found are knock-on and link failures, the others field faults',
});

const perRecordType = <T extends Parameters<typeof Type.Object>[0][string]>(schema: T, description?: string) =>
  Type.Object({ clients: schema, contacts: schema, addresses: schema }, description ? { description } : {});

const ImportStatusSchema = StringEnum(IMPORT_STATUSES);

export const TypeCounts = Type.Object({
  received: Type.Integer({ minimum: 0 }),
  imported: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  skipped: Type.Integer({ minimum: 0 }),
  matched: Type.Integer({
    minimum: 0,
    description: 'of `imported`, the records that joined an existing central record of another source instead of creating one (SPEC §9)',
  }),
  invalid: Type.Integer({ minimum: 0, description: 'found invalid at receipt (part of `received`); they end as failed unless skipped' }),
  stillFailing: Type.Integer({
    minimum: 0,
    description: 'of `failed`, the records no import of the same practice and source has imported since',
  }),
});
export type TypeCounts = Static<typeof TypeCounts>;

export const RefLists = perRecordType(Type.Array(Type.String()));
/** Refs of each record type. */
export type RefLists = Static<typeof RefLists>;

export const FailedRefs = Type.Object(RefLists.properties, {
  $id: 'FailedRefs',
  description: 'refs that failed in this import and have not been imported since, per record type',
});

/** Who did something to an import: its source product (with its token), or a practice user. */
export const Actor = Type.Union(
  [Type.Object({ kind: Type.Literal('source'), source: Type.String() }), Type.Object({ kind: Type.Literal('user'), email: Type.String() })],
  { $id: 'Actor', description: 'a source product (with its token), or a practice user' },
);
export type Actor = Static<typeof Actor>;

export const ImportView = Type.Object(
  {
    id: Uuid,
    source: Type.String({ description: 'the source product that sent it' }),
    kind: StringEnum(IMPORT_KINDS, {
      description: 'import: started by its source; retry: of another import’s failures; activation: opened by the practice’s activation',
    }),
    dryRun: Type.Boolean({ description: 'processed in full but nothing written to the central tables (SPEC §10)' }),
    startedBy: ref(Actor),
    status: ImportStatusSchema,
    phase: StringEnum(IMPORT_PHASES, { description: 'finer than status' }),
    cancelReason: Nullable(StringEnum(CANCEL_REASONS), {
      description: 'set once cancelled: `cancelled` on request, `expired` after BRIGHTCLIENT_RECEIVING_TTL_HOURS without a batch',
    }),
    cancelledAt: Nullable(DateTime),
    cancelledBy: Nullable(ref(Actor), { description: 'who cancelled it; null for an expiry (nobody did)' }),
    undoRequestedAt: Nullable(DateTime, { description: 'when an undo was asked for (status undoing, then undone)' }),
    undoRequestedBy: Nullable(ref(Actor), { description: 'who asked for the undo' }),
    undoneAt: Nullable(DateTime),
    retryOf: Nullable(Uuid, { description: 'the import this one retries' }),
    requested: Nullable(RefLists, { description: 'a retry: the failed refs it asks the source for' }),
    notSent: Nullable(perRecordType(Type.Integer({ minimum: 0 })), {
      description: 'a completed retry: requested refs the source did not send, per type (they keep failing in the original)',
    }),
    createdAt: DateTime,
    processingAt: Nullable(DateTime),
    completedAt: Nullable(DateTime),
    batches: Type.Object({ received: Type.Integer({ minimum: 0 }), expected: Nullable(Type.Integer({ minimum: 0 })) }),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    counts: perRecordType(TypeCounts),
    stillFailing: Type.Integer({
      minimum: 0,
      description: 'the sum of counts.*.stillFailing: falls as retries succeed, while `failed` stays',
    }),
    errorFile: Nullable(Type.String(), { description: 'the error file’s path, once completed with failures' }),
  },
  { $id: 'Import', description: 'An import (SPEC §5)' },
);
export type ImportView = Static<typeof ImportView>;

export const ImportList = Type.Object({ imports: Type.Array(ref(ImportView)) }, { $id: 'ImportList' });
export type ImportList = Static<typeof ImportList>;

export const ReceiptError = Type.Object({
  position: Type.Integer({ minimum: 1, description: '1-based position of the record in the batch' }),
  ref: Nullable(Type.String()),
  field: Type.String({ description: 'a JSON path in the record, e.g. `postcode` or `clients[0].ref`' }),
  code: ErrorCodeSchema,
  reason: Type.String(),
});
/** A field error in a batch receipt. */
export type ReceiptError = Static<typeof ReceiptError>;

export const BatchReceipt = Type.Object(
  {
    importId: Uuid,
    batch: Type.Integer({ minimum: 1 }),
    type: StringEnum(RECORD_TYPES),
    sha256: Type.String({ description: 'hex SHA-256 of the decoded body' }),
    bytes: Type.Integer({ minimum: 0 }),
    receivedAt: DateTime,
    records: Type.Object({
      received: Type.Integer({ minimum: 0 }),
      valid: Type.Integer({ minimum: 0 }),
      invalid: Type.Integer({ minimum: 0 }),
    }),
    errors: Type.Array(ReceiptError, { description: 'the first 100 field errors; all of them are in the error file' }),
    errorsTruncated: Type.Boolean(),
  },
  { $id: 'BatchReceipt' },
);
export type BatchReceipt = Static<typeof BatchReceipt>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'any unique string per start, e.g. a UUID' })),
});

export const StartImportBody = Type.Object(
  {
    retryOf: Type.Optional(Uuid),
    dryRun: Type.Optional(
      Type.Boolean({
        description: 'process in full, matching included, but write nothing to the central tables (SPEC §10); not with retryOf',
      }),
    ),
  },
  { $id: 'StartImport', additionalProperties: false, description: 'empty for a new import' },
);

export const ImportListQuery = Type.Object(
  {
    status: Type.Optional(ImportStatusSchema),
    hasFailures: Type.Optional(Type.Boolean()),
    stillFailing: Type.Optional(
      Type.Boolean({ description: 'true: completed imports with records still failing (stillFailing > 0); dry runs never (SPEC §10)' }),
    ),
    since: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const CompleteBody = Type.Object(
  { batchCount: Type.Integer({ minimum: 0, maximum: 100_000, description: 'batches 1..batchCount were all sent' }) },
  { $id: 'CompleteImport', additionalProperties: false },
);

/** The formats of the error file and of the open failures. */
export const FILE_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const FileFormatSchema = StringEnum(FILE_FORMATS, {
  description: 'csv (default: UTF-8 with BOM), json, or xlsx (Excel: one sheet, a header row, every cell text)',
});

export const ErrorFileQuery = Type.Object({ format: Type.Optional(FileFormatSchema) }, { additionalProperties: false });

/** A file answer in each of its formats: the rows as `row` describes them. */
export const fileContent = (row: TSchema, description: string) => ({
  description,
  content: {
    'text/csv': { schema: Streamed(Type.String({ description: 'UTF-8 with BOM, CRLF line ends, a header row of the columns' })) },
    'application/json': { schema: Streamed(Type.Array(row)) },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      schema: Streamed(Type.String({ format: 'binary', description: 'one sheet, a header row of the columns' })),
    },
  },
});

/** A row of the error file (SPEC §6): one failing field of one record. The CSV has these columns, in this order. */
export const ErrorFileRow = Type.Object(
  {
    record_type: StringEnum(Object.values(RECORD_TYPE_SINGULAR)),
    record_ref: Nullable(Type.String()),
    record_name: Nullable(Type.String(), { description: 'the client’s name, or the contact’s full name' }),
    client_reference: Nullable(Type.String({ description: 'the client reference a bookkeeper recognises' })),
    field: Type.String({ description: 'a JSON path in the record, e.g. `postcode` or `clients[0].ref`' }),
    reason: Type.String(),
    caused_by: Nullable(Type.String(), {
      description: '`<record_type>:<ref>` of the root record whose own fault made this one fail; null for a root cause',
    }),
    still_failing: Type.Boolean({ description: 'false once an import of the same source has imported the record' }),
    batch: Type.Integer({ minimum: 1 }),
    position: Type.Integer({ minimum: 1, description: '1-based position of the record in its batch' }),
    code: ErrorCodeSchema,
  },
  { $id: 'ErrorFileRow' },
);
export type ErrorFileRow = Static<typeof ErrorFileRow>;

export const ErrorFile = fileContent(ref(ErrorFileRow), 'The error file: one row per failing field, columns as ErrorFileRow');

export const ImportEvents = {
  description: 'Server-Sent Events: `progress` (data: the Import) on every change, then `done` (data: the completed Import)',
  content: { 'text/event-stream': { schema: Streamed(Type.String({ description: 'event: progress|done, data: an Import as JSON' })) } },
};

export const BatchParams = Type.Object({
  id: Uuid,
  // A pattern, not an integer: JSON-schema coercion would take '1e3' or '0x10' for a number.
  n: Type.String({ pattern: '^(?:[1-9][0-9]{0,4}|100000)$', description: 'batch number, 1 to 100000' }),
});
