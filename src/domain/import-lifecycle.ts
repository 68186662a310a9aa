// The life of an import as closed lists: the status a user sees, the finer phase, the logged steps of processing,
// and the share of `progress` each phase covers. A leaf module (it imports nothing), so the API contract, the web
// UI and the sender take the enums from here without pulling in the engine; the statements that move an import
// through these phases are in import-lifecycle.sql.ts.

export const IMPORT_STATUSES = ['receiving', 'processing', 'completed', 'cancelled', 'undoing', 'undone'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * What started an import (SPEC §5): its source on its own, a retry of another import's failures, or the practice's
 * activation of BrightClient (one per connected source, fulfilled by the source's agent).
 */
export const IMPORT_KINDS = ['import', 'retry', 'activation'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * In the order an import goes through them; `cancelled` ends a receiving one instead, and an undo takes a completed
 * one through `undoing` to `undone` (the CHECKs on imports.status and imports.phase hold the same lists, migrations
 * 0014, 0027 and 0040).
 */
export const IMPORT_PHASES = [
  'receiving',
  'queued',
  'checking',
  'committing',
  'finalising',
  'completed',
  'cancelled',
  'undoing',
  'undone',
] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

/** The phases a worker moves an import through; `queued` and `completed` are entered by their own statements. */
export type WorkingPhase = Extract<ImportPhase, 'checking' | 'committing' | 'finalising'>;

/**
 * Statuses where an import's processing has ended: its event stream ends with `done` there. Only an undo leaves one
 * (completed → undoing → undone), and a stream opened on an undoing import follows it to `undone`.
 */
export const FINAL_STATUSES = ['completed', 'cancelled', 'undone'] as const satisfies readonly ImportStatus[];
export const isFinal = (status: ImportStatus): boolean => (FINAL_STATUSES as readonly ImportStatus[]).includes(status);

/** Why a receiving import was cancelled: on request (source or user), or idle past BRIGHTCLIENT_RECEIVING_TTL_HOURS. */
export const CANCEL_REASONS = ['cancelled', 'expired'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/**
 * The steps of processing: each is one transaction that logs itself in import_log (one row per committed batch, and
 * per type's matching decision under the number of the type's first batch).
 */
export const PROCESSING_STEPS = ['check', 'match', 'commit', 'finalise'] as const;
export type ProcessingStep = (typeof PROCESSING_STEPS)[number];

export interface ProgressBand {
  from: number;
  to: number;
}

/**
 * The part of `progress` (0 to 1) each phase covers; a phase starts at its band's `from`. Only the commit moves
 * within its band (by the share of records in committed batches), since it is where the time goes: the check is a
 * few statements over the whole import and finalising one. Nothing is known of the total while receiving. An undo
 * measures its own work from 0 again.
 */
export const PROGRESS_BANDS = {
  receiving: { from: 0, to: 0 },
  queued: { from: 0, to: 0.02 },
  checking: { from: 0.02, to: 0.1 },
  committing: { from: 0.1, to: 0.97 },
  finalising: { from: 0.97, to: 1 },
  completed: { from: 1, to: 1 },
  cancelled: { from: 0, to: 0 },
  undoing: { from: 0, to: 1 },
  undone: { from: 1, to: 1 },
} as const satisfies Record<ImportPhase, ProgressBand>;
