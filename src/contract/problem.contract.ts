// RFC 9457 problem details: the one shape of every error answer, and the closed list of `code`s a client may act
// on (the list itself is in src/domain/problem-codes.ts). The server's problem helper takes a ProblemCode, and
// the sender matches codes through this union.
import { Type, type Static } from 'typebox';
import { PROBLEM_CODE_MEANINGS, PROBLEM_CODES, type ProblemCode } from '../domain/problem-codes.ts';
import { ref } from './common.ts';

// Re-exported: the contract is where server, web UI and sender code looks for the codes.
export { PROBLEM_CODES, type ProblemCode };

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
    retry: Type.Optional(Type.String({ format: 'uuid', description: 'retry_already_open: the id of the retry in progress' })),
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
