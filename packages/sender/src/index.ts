// The BrightClient sender SDK: what a source product (BrightManager, BrightBooks, BrightAP) runs to push a practice's
// records into BrightClient. It imports nothing of the server: the contract's types are generated into contract.generated.ts.
export {
  ApiError,
  RetriesExhaustedError,
  ServerUnreachableError,
  createApiClient,
  type ApiClient,
  type ClientOptions,
  type ImportQuery,
  type RetryInfo,
} from './api-client.ts';
export { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter, sleep, type RetryPolicy } from './backoff.ts';
export { follow, readEventStream, type FollowOptions } from './follow.ts';
export {
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  packBatches,
  refOf,
  type Batch,
  type PackOptions,
  type RecordSource,
  type RejectedRecord,
  type SourceRecord,
} from './packer.ts';
export {
  ExportChangedError,
  StateConflictError,
  pendingSend,
  retryImport,
  sendExport,
  type SendEvent,
  type SendOptions,
  type SendResult,
} from './send.ts';
export { StateFileError, readState, removeState, type SendState } from './state-file.ts';
export type {
  AddressRecord,
  BatchReceipt,
  ClientRecord,
  ContactRecord,
  ImportView,
  Problem,
  ProblemCode,
  RecordType,
  RefLists,
  TypeCounts,
} from './types.ts';
export { PROBLEM_CODES, RECORD_TYPES } from './contract.generated.ts';
