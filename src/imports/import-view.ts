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
    kind: row.retry_of ? 'retry' : 'import',
    startedBy: row.started_by_email ? { kind: 'user', email: row.started_by_email } : { kind: 'source', source: row.source },
    cancelReason: row.cancel_reason,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    cancelledBy: cancelledBy(row),
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

function cancelledBy(row: ImportRow): Actor | null {
  if (row.cancel_reason !== 'cancelled') return null;
  return row.cancelled_by_email ? { kind: 'user', email: row.cancelled_by_email } : { kind: 'source', source: row.source };
}
