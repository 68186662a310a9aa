// The import object of SPEC §5, built from an import row.
import type { Actor, ImportView, TypeCounts } from '../contract/imports.contract.ts';
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import type { ImportRow } from './import.sql.ts';

export function importView(row: ImportRow): ImportView {
  const counts = {} as Record<RecordType, TypeCounts>;
  for (const type of RECORD_TYPES) {
    const c = row.counts.find((x) => x.record_type === type);
    counts[type] = {
      received: c?.received ?? 0,
      imported: c?.imported ?? 0,
      failed: c?.failed ?? 0,
      skipped: c?.skipped ?? 0,
      matched: c?.matched ?? 0,
      invalid: c?.invalid ?? 0,
      stillFailing: row.still_failing?.[type] ?? 0,
    };
  }
  return {
    id: row.id,
    source: row.source,
    status: row.status,
    phase: row.phase,
    kind: row.kind,
    dryRun: row.dry_run,
    startedBy: actor(row, row.started_by_email),
    cancelReason: row.cancel_reason,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    cancelledBy: row.cancel_reason === 'cancelled' ? actor(row, row.cancelled_by_email) : null,
    undoRequestedAt: row.undo_requested_at?.toISOString() ?? null,
    undoRequestedBy: row.undo_requested_at ? actor(row, row.undo_requested_by_email) : null,
    undoneAt: row.undone_at?.toISOString() ?? null,
    retryOf: row.retry_of,
    requested: row.requested,
    notSent: row.not_sent,
    createdAt: row.created_at.toISOString(),
    processingAt: row.processing_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
    batches: { received: row.batches_received, expected: row.expected_batches },
    progress: Math.round(row.progress * 1000) / 1000,
    counts,
    stillFailing: RECORD_TYPES.reduce((n, type) => n + counts[type].stillFailing, 0),
    errorFile: row.status === 'completed' && row.failed_total > 0 ? `/v1/imports/${row.id}/errors` : null,
  };
}

/** A practice user where one is recorded, else the import's source product (which acts with its token). */
function actor(row: ImportRow, userEmail: string | null): Actor {
  return userEmail ? { kind: 'user', email: userEmail } : { kind: 'source', source: row.source };
}
