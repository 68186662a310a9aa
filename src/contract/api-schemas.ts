// JSON schemas of the HTTP API: they validate requests, shape responses and generate the OpenAPI document.
import { CANCEL_REASONS, IMPORT_PHASES, IMPORT_STATUSES } from '../imports/import-lifecycle.ts';
import { RECORD_TYPES } from './records.ts';

export const uuid = { type: 'string', format: 'uuid' } as const;

export const problem = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: {
      type: 'string',
      description:
        'set on refusals a client may act on: batch_content_differs, import_not_receiving, batches_missing (with `missing`), ' +
        'batches_beyond_count (with `extra`), import_completed_differently, import_not_completed, nothing_to_retry, user_exists',
    },
  },
  additionalProperties: true,
} as const;

const typeCounts = {
  type: 'object',
  properties: {
    received: { type: 'integer' },
    imported: { type: 'integer' },
    failed: { type: 'integer' },
    skipped: { type: 'integer' },
    invalid: { type: 'integer', description: 'found invalid at receipt; they end as failed unless skipped' },
    stillFailing: { type: 'integer', description: 'of `failed`, the records no import of the same source has imported since' },
  },
} as const;

const refLists = {
  type: 'object',
  properties: Object.fromEntries(RECORD_TYPES.map((t) => [t, { type: 'array', items: { type: 'string' } }])),
} as const;

/** Who did something to an import: its source product, or a practice user. */
export const actor = {
  type: 'object',
  properties: { kind: { type: 'string', enum: ['source', 'user'] }, source: { type: 'string' }, email: { type: 'string' } },
} as const;

export const importObject = {
  type: 'object',
  properties: {
    id: uuid,
    source: { type: 'string' },
    kind: { type: 'string', enum: ['import', 'retry'] },
    startedBy: actor,
    status: { type: 'string', enum: IMPORT_STATUSES },
    phase: { type: 'string', enum: IMPORT_PHASES },
    cancelReason: { anyOf: [{ type: 'string', enum: CANCEL_REASONS }, { type: 'null' }] },
    cancelledAt: { type: ['string', 'null'], format: 'date-time' },
    cancelledBy: { anyOf: [actor, { type: 'null' }], description: 'who cancelled it; null for an expiry' },
    retryOf: { type: ['string', 'null'] },
    requested: { anyOf: [refLists, { type: 'null' }] },
    notSent: {
      anyOf: [{ type: 'object', properties: Object.fromEntries(RECORD_TYPES.map((t) => [t, { type: 'integer' }])) }, { type: 'null' }],
      description: 'a completed retry: requested refs the source did not send, per type',
    },
    createdAt: { type: 'string', format: 'date-time' },
    processingAt: { type: ['string', 'null'] },
    completedAt: { type: ['string', 'null'] },
    batches: { type: 'object', properties: { received: { type: 'integer' }, expected: { type: ['integer', 'null'] } } },
    progress: { type: 'number', minimum: 0, maximum: 1 },
    counts: { type: 'object', properties: Object.fromEntries(RECORD_TYPES.map((t) => [t, typeCounts])) },
    stillFailing: { type: 'integer', description: 'the sum of counts.*.stillFailing; falls as retries succeed' },
    errorFile: { type: ['string', 'null'] },
  },
} as const;

export const batchReceipt = {
  type: 'object',
  properties: {
    importId: uuid,
    batch: { type: 'integer' },
    type: { type: 'string', enum: RECORD_TYPES },
    sha256: { type: 'string' },
    bytes: { type: 'integer' },
    receivedAt: { type: 'string' },
    records: {
      type: 'object',
      properties: { received: { type: 'integer' }, valid: { type: 'integer' }, invalid: { type: 'integer' } },
    },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          position: { type: 'integer', description: '1-based position of the record in the batch' },
          ref: { type: ['string', 'null'] },
          field: { type: 'string' },
          code: { type: 'string' },
          reason: { type: 'string' },
        },
      },
    },
    errorsTruncated: { type: 'boolean' },
  },
} as const;

export const refListsSchema = refLists;
