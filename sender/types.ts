// The API's answers as the sender sees them (SPEC §3, §5), typed for the SDK's callers.
import type { RecordType } from '../src/contract/records.ts';

export type RefLists = Record<RecordType, string[]>;

export interface TypeCounts {
  received: number;
  imported: number;
  failed: number;
  skipped: number;
  /** Found invalid at receipt (a part of `received`). */
  invalid?: number;
}

export interface ImportView {
  id: string;
  source: string;
  status: 'receiving' | 'processing' | 'completed';
  phase?: string;
  retryOf: string | null;
  requested: RefLists | null;
  createdAt: string;
  processingAt?: string | null;
  completedAt: string | null;
  batches: { received: number; expected: number | null };
  progress: number;
  counts: Record<RecordType, TypeCounts>;
  errorFile: string | null;
}

export interface BatchReceipt {
  importId: string;
  batch: number;
  type: RecordType;
  sha256: string;
  bytes: number;
  receivedAt: string;
  records: { received: number; valid: number; invalid: number };
  errors: { position: number; ref: string | null; field: string; code: string; reason: string }[];
  errorsTruncated: boolean;
}

/** RFC 9457 problem details, as the server answers every error. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  [key: string]: unknown;
}
