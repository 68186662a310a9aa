// The API's answers as the sender sees them (SPEC §3, §5), typed for the SDK's callers.

export type { BatchReceipt, ImportView, RefLists, TypeCounts } from '../src/contract/api-types.ts';

/** RFC 9457 problem details, as the server answers every error. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  [key: string]: unknown;
}
