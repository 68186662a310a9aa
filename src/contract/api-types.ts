// The API's answers (SPEC §3, §5) as types, in one place: the server builds them, the sender SDK and the web UI
// read them. The JSON schemas in api-schemas.ts describe the same shapes for validation and OpenAPI.
import type { ErrorCode, RecordType } from './records.ts';

export type RefLists = Record<RecordType, string[]>;

export type { CancelReason, ImportStatus } from '../imports/import-lifecycle.ts';
import type { CancelReason, ImportStatus } from '../imports/import-lifecycle.ts';

export interface TypeCounts {
  received: number;
  imported: number;
  failed: number;
  skipped: number;
  /** Found invalid at receipt (a subset of `received`; they end as failed unless skipped). */
  invalid: number;
  /** Of `failed`, the records not imported since by any import of the same practice and source. */
  stillFailing: number;
}

/** Who did something to an import: its source product (with its token), or a practice user. */
export type Actor = { kind: 'source'; source: string } | { kind: 'user'; email: string };

export interface ImportView {
  id: string;
  source: string;
  kind: 'import' | 'retry';
  /** Its source product, or the practice user who pressed retry in the web UI on the source's behalf. */
  startedBy: Actor;
  status: ImportStatus;
  /** Finer than status: receiving, queued, checking, committing, finalising, completed. */
  phase: string;
  /** Set once cancelled: `cancelled` on request, `expired` after BRIGHTCLIENT_RECEIVING_TTL_HOURS without a batch. */
  cancelReason: CancelReason | null;
  cancelledAt: string | null;
  /** Who cancelled it; null for an expiry (nobody did). */
  cancelledBy: Actor | null;
  retryOf: string | null;
  requested: RefLists | null;
  /** A completed retry: how many requested refs of each type the source did not send (they still fail). */
  notSent: Record<RecordType, number> | null;
  createdAt: string;
  processingAt: string | null;
  completedAt: string | null;
  batches: { received: number; expected: number | null };
  progress: number;
  counts: Record<RecordType, TypeCounts>;
  /** The sum of `counts.*.stillFailing`: falls as retries succeed, while `failed` stays what happened. */
  stillFailing: number;
  errorFile: string | null;
}

/** A field error in a batch receipt; `position` is the record's 1-based place in the batch. */
export interface ReceiptError {
  position: number;
  ref: string | null;
  field: string;
  code: string;
  reason: string;
}

export interface BatchReceipt {
  importId: string;
  batch: number;
  type: RecordType;
  sha256: string;
  bytes: number;
  receivedAt: string;
  records: { received: number; valid: number; invalid: number };
  /** The first 100 field errors; every one of them is in the import's error file. */
  errors: ReceiptError[];
  errorsTruncated: boolean;
}

export interface SourceRef {
  source: string;
  ref: string;
}

export interface AddressItem {
  id: string;
  kind: string | null;
  line1: string;
  line2: string | null;
  town: string;
  county: string | null;
  postcode: string;
  country: string;
  from: string;
  /** null: the current address */
  to: string | null;
}

export interface ClientItem {
  id: string;
  clientReference: string;
  name: string;
  clientType: string;
  companyNumber: string | null;
  vatNumber: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  createdAt: string;
  sources: SourceRef[];
}

export interface ClientPage {
  clients: ClientItem[];
  nextCursor: string | null;
}

export interface ContactFields {
  id: string;
  title: string | null;
  firstName: string | null;
  lastName: string;
  email: string | null;
  phone: string | null;
}

/** A contact as the contact list and search show it. */
export interface ContactItem extends ContactFields {
  createdAt: string;
  sources: SourceRef[];
}

export interface ContactPage {
  contacts: ContactItem[];
  nextCursor: string | null;
}

/** A contact as a client lists it: with its roles at that client. */
export interface ClientContact extends ContactFields {
  roles: string[];
}

export interface ClientDetail extends ClientItem {
  utr: string | null;
  contacts: ClientContact[];
  addresses: AddressItem[];
}

export interface ContactDetail extends ContactFields {
  dateOfBirth: string | null;
  niNumber: string | null;
  createdAt: string;
  sources: SourceRef[];
  clients: { id: string; clientReference: string; name: string; roles: string[] }[];
  addresses: AddressItem[];
}

/** A row of the error file (`GET /v1/imports/{id}/errors?format=json`, SPEC §6). */
export interface ErrorFileRow {
  record_type: 'client' | 'contact' | 'address';
  record_ref: string | null;
  record_name: string | null;
  client_reference: string | null;
  field: string;
  reason: string;
  /** `<record_type>:<ref>` of the root record whose own fault made this one fail; null for a root cause. */
  caused_by: string | null;
  still_failing: boolean;
  batch: number;
  position: number;
  code: ErrorCode;
}

/** A row of the open failures (`GET /v1/failures?format=json`): an error-file row and where it comes from. */
export interface FailureRow extends ErrorFileRow {
  import_id: string;
  source: string;
}

/** Open failures of one reason: a code on a field of a record type, root causes apart from knock-on failures. */
export interface FailureGroupView {
  code: ErrorCode;
  recordType: RecordType;
  field: string;
  rootCause: boolean;
  /** Records still failing for this reason. */
  records: number;
  /** Rows of the file (a record with a reason on two fields has two). */
  rows: number;
}
