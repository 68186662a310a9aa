// The practice's open failures across imports (SPEC §6 `GET /v1/failures`): the rows and their reasons.
import { Type, type Static } from 'typebox';
import { ref, StringEnum } from './common.ts';
import { SOURCE_PATTERN } from './admin.contract.ts';
import { ErrorCodeSchema, ErrorFileRow, fileContent, FileFormatSchema } from './imports.contract.ts';
import { RECORD_TYPES } from './records.ts';

const filter = {
  source: Type.Optional(Type.String({ pattern: SOURCE_PATTERN, description: 'a source product, e.g. brightmanager' })),
  type: Type.Optional(StringEnum(RECORD_TYPES)),
  code: Type.Optional(ErrorCodeSchema),
};

export const FailuresQuery = Type.Object(
  {
    ...filter,
    format: Type.Optional(FileFormatSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'at most this many rows, from the first' })),
  },
  { additionalProperties: false },
);

export const FailureGroupsQuery = Type.Object(filter, { additionalProperties: false });

/** A row of the open failures: an error-file row and where it comes from. */
export const FailureRow = Type.Object(
  { ...ErrorFileRow.properties, import_id: Type.String({ format: 'uuid' }), source: Type.String() },
  { $id: 'FailureRow' },
);
export type FailureRow = Static<typeof FailureRow>;

export const FailureFile = fileContent(
  ref(FailureRow),
  'Every failing field of every record still failing, root causes first; columns as FailureRow',
);

/** Open failures of one reason: a code on a field of a record type, root causes apart from knock-on failures. */
export const FailureGroupView = Type.Object(
  {
    code: ErrorCodeSchema,
    recordType: StringEnum(RECORD_TYPES),
    field: Type.String(),
    rootCause: Type.Boolean({ description: 'false: records that failed because a record they depend on failed' }),
    records: Type.Integer({ minimum: 0, description: 'records still failing for this reason' }),
    rows: Type.Integer({ minimum: 0, description: 'rows of the file (a record with a reason on two fields has two)' }),
  },
  { $id: 'FailureGroup' },
);
export type FailureGroupView = Static<typeof FailureGroupView>;

export const FailureGroups = Type.Object({ groups: Type.Array(ref(FailureGroupView)) }, { $id: 'FailureGroups' });
