// The practice's open failures (SPEC §6 `GET /v1/failures`): the rows of every record still failing, in the error
// file's format, and the same set grouped by reason for the web UI's Failures page.
import type { FailureGroupView } from '../contract/failures.contract.ts';
import type { Queryable } from '../db/pool.ts';
import { selectFailureGroups, type FailureFilter } from './error-file.sql.ts';

export type { FailureFilter };

export async function failureGroups(db: Queryable, filter: FailureFilter): Promise<FailureGroupView[]> {
  return (await selectFailureGroups(db, filter)).map((g) => ({
    code: g.code,
    recordType: g.record_type,
    field: g.field,
    rootCause: !g.knock_on,
    records: g.records,
    rows: g.rows,
  }));
}
