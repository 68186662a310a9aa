// The closed list of problem `code`s a client may act on, with their meanings. A leaf module, so domain code
// (outcome.ts) names a code without importing the API contract, which builds the schema enum from it.

/** Each `code` with what it means: the list and the OpenAPI description both come from here. */
export const PROBLEM_CODE_MEANINGS = {
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
  too_many_records: 'the batch has more than 100,000 records (or 500,000 objects and arrays): refused whole, split it',
  user_exists: 'a practice user with that email exists',
  record_merged: 'the client or contact was merged into another (404): the survivor’s id in `mergedInto`',
  match_decided: 'the review item was decided otherwise (kept apart, merged, or superseded by another merge)',
  split_only_source: 'the source record is the record’s only one: there is nothing to split it from',
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODE_MEANINGS;
export const PROBLEM_CODES = Object.keys(PROBLEM_CODE_MEANINGS) as ProblemCode[];
