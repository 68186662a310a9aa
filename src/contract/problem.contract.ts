// RFC 9457 problem details: the one shape of every error answer, and the closed list of `code`s a client may act
// on. The server's problem helper takes a ProblemCode, and the sender matches codes through this union.
import { Type, type Static } from 'typebox';
import { ref } from './common.ts';

/** Each `code` with what it means: the list and the OpenAPI description both come from here. */
const PROBLEM_CODE_MEANINGS = {
  batch_content_differs: 'the batch number is stored with other bytes',
  import_not_receiving: 'the import takes no more batches: it is processing, completed or cancelled',
  batches_missing: 'completion while some of 1..batchCount were never stored, listed in `missing`',
  batches_beyond_count: 'completion with a count below a stored batch number, listed in `extra`',
  import_completed_differently: 'completed before with another batchCount',
  import_not_completed: 'a retry or an undo of an import that has not completed',
  dry_run: 'a retry or an undo of a dry run, which wrote nothing',
  undo_has_dependants: 'records of other imports depend on what the import created: counts in `dependants`',
  idempotency_key_reused: 'the Idempotency-Key was used for a different request',
  nothing_to_retry: 'no record of the import is still failing',
  retry_already_open: 'the import has a retry in progress, its id in `retry`',
  too_many_open_imports: 'the source has 20 imports receiving: complete or cancel one',
  too_many_errors: 'the batch has more than 600,000 failing fields: refused whole',
  too_many_records: 'the batch has more than 100,000 records (or 1,000,000 objects and arrays): refused whole, split it',
  user_exists: 'a practice user with that email exists',
  record_merged: 'the client or contact was merged into another (404): the survivor’s id in `mergedInto`',
  match_decided: 'the review item was decided otherwise (kept apart, merged, or superseded by another merge)',
  split_only_source: 'the source record is the record’s only one: there is nothing to split it from',
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODE_MEANINGS;
export const PROBLEM_CODES = Object.keys(PROBLEM_CODE_MEANINGS) as ProblemCode[];

export const ProblemCodeSchema = Type.Unsafe<ProblemCode>({
  type: 'string',
  enum: [...PROBLEM_CODES],
  description: `Set on refusals a client may act on: ${Object.entries(PROBLEM_CODE_MEANINGS)
    .map(([code, meaning]) => `${code} (${meaning})`)
    .join(', ')}.`,
});

export const UndoDependants = Type.Object(
  {
    contacts: Type.Integer({ minimum: 0, description: 'contacts of other imports with a role at a client the undo would remove' }),
    addresses: Type.Integer({ minimum: 0, description: 'addresses of other imports owned by a record the undo would remove' }),
  },
  { $id: 'UndoDependants', description: 'records of other imports that depend on what an undo would remove: while any, it is refused' },
);
export type UndoDependants = Static<typeof UndoDependants>;

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:brightclient:problem:<code or title>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'one sentence for a person' }),
    code: Type.Optional(ProblemCodeSchema),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String({ description: 'JSON pointer into the body, or `params:`/`querystring:` then a pointer' }),
          detail: Type.String(),
        }),
        { description: 'a request that fails its schema: every failing member' },
      ),
    ),
    missing: Type.Optional(Type.Array(Type.Integer(), { description: 'batches_missing: the batch numbers not stored' })),
    extra: Type.Optional(Type.Array(Type.Integer(), { description: 'batches_beyond_count: stored batch numbers above batchCount' })),
    dependants: Type.Optional(ref(UndoDependants)),
    mergedInto: Type.Optional(Type.String({ format: 'uuid', description: 'record_merged: the central record it was merged into' })),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details', additionalProperties: true },
);
export type Problem = Static<typeof Problem>;

const PROBLEM_STATUSES = {
  400: 'The request is not valid',
  401: 'No valid credentials',
  403: 'Not allowed for this caller',
  404: 'No such resource (or another practice’s)',
  408: 'The body stopped arriving',
  409: 'The resource’s state refuses the request; `code` says why',
  413: 'The body is too large',
  415: 'The body is not JSON',
  429: 'Too many requests; see Retry-After',
  503: 'At capacity or starting; see Retry-After',
} as const;
type ProblemStatus = keyof typeof PROBLEM_STATUSES;

const problemContent = { 'application/problem+json': { schema: ref(Problem) } };
type ProblemResponse = { description: string; content: typeof problemContent };

/** A route's error answers, e.g. `problems(400, 401, 404)`, each an application/problem+json Problem. */
export const problems = <const S extends ProblemStatus>(...statuses: S[]): { [K in S]: ProblemResponse } =>
  Object.fromEntries(statuses.map((s) => [s, { description: PROBLEM_STATUSES[s], content: problemContent }])) as unknown as {
    [K in S]: ProblemResponse;
  };
