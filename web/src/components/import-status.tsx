// An import's state at a glance: badge, phase, live progress bar, timing and an estimate of the time left.
import type { Import } from '../api.ts';
import {
  actorLabel,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  phaseLabel,
  plural,
  requestedCount,
  sourceLabel,
  totals,
} from '../format.ts';
import { useNow } from '../hooks.ts';
import { ProgressBar } from './progress-bar.tsx';

const ACTIVE_LABELS = { receiving: 'Receiving', processing: 'Processing', undoing: 'Undoing' } as const;

export function StatusBadge({ imp }: { imp: Import }) {
  // A dry run's failures are a preview, not something still wrong: one neutral badge, whatever its counts.
  if (imp.dryRun && imp.status === 'completed') return <span className="badge badge-dry-run">Dry run — nothing was written</span>;
  if (imp.status === 'cancelled')
    return <span className="badge badge-cancelled">{imp.cancelReason === 'expired' ? 'Cancelled · expired' : 'Cancelled'}</span>;
  if (imp.status === 'undone') return <span className="badge badge-undone">Undone</span>;
  if (imp.status !== 'completed') return <span className={`badge badge-${imp.status}`}>{ACTIVE_LABELS[imp.status]}</span>;
  const failed = totals(imp).failed;
  if (failed === 0) return <span className="badge badge-ok">Completed</span>;
  // What is still wrong, not what once failed: retries that brought every record in turn the badge green.
  return imp.stillFailing > 0 ? (
    <span className="badge badge-failed">Completed · {plural(imp.stillFailing, 'record', 'records')} still failing</span>
  ) : (
    <span className="badge badge-ok">Completed · failures fixed since</span>
  );
}

/** What the import is doing now, in a sentence. */
function stateSentence(imp: Import): string {
  const source = sourceLabel(imp.source);
  if (imp.status === 'receiving') {
    if (imp.retryOf)
      return `Waiting for ${source} to resend ${plural(requestedCount(imp), 'failed record')} (${plural(imp.batches.received, 'batch', 'batches')} received so far).`;
    return `Receiving batches from ${source}: ${plural(imp.batches.received, 'batch', 'batches')} (${plural(totals(imp).received, 'record')}) received so far.`;
  }
  if (imp.status === 'cancelled') {
    const when = imp.cancelledAt ? formatDateTime(imp.cancelledAt) : '';
    const arrived = `${plural(totals(imp).received, 'record')} had arrived`;
    return imp.cancelReason === 'expired'
      ? `Expired ${when}: no batch arrived for too long, so it was cancelled. Nothing was imported (${arrived}).`
      : `Cancelled ${when} by ${imp.cancelledBy ? actorLabel(imp.cancelledBy) : 'someone'}. Nothing was imported (${arrived}).`;
  }
  if (imp.status === 'processing')
    return `${phaseLabel(imp.phase)} — ${plural(imp.batches.expected ?? imp.batches.received, 'batch', 'batches')} from ${source}.`;
  const asked = imp.undoRequestedBy ? ` by ${actorLabel(imp.undoRequestedBy)}` : '';
  if (imp.status === 'undoing')
    return `Being undone (asked${asked} ${imp.undoRequestedAt ? formatDateTime(imp.undoRequestedAt) : ''}): what it brought into BrightClient is being removed.`;
  if (imp.status === 'undone')
    return `Undone ${imp.undoneAt ? formatDateTime(imp.undoneAt) : ''}${asked}: what it brought into BrightClient was removed, and ${source} can send the same records again. The counts below tell what it had imported.`;
  const t = totals(imp);
  if (imp.dryRun)
    return `${plural(t.imported, 'record')} would be imported, ${formatNumberOrNone(t.failed)} would fail, ${formatNumberOrNone(t.skipped)} would be skipped.`;
  const still =
    t.failed === 0 ? '' : imp.stillFailing === 0 ? ' (all imported since)' : ` (${formatNumber(imp.stillFailing)} still failing)`;
  return `${plural(t.imported, 'record')} imported, ${formatNumberOrNone(t.failed)} failed${still}, ${formatNumberOrNone(t.skipped)} skipped.`;
}

const formatNumberOrNone = (n: number) => (n === 0 ? 'none' : formatNumber(n));

/** Elapsed processing time and, once enough is done to extrapolate, the time left. */
function timing(imp: Import, now: number): string {
  const started = `Started ${formatDateTime(imp.createdAt)}`;
  if (!imp.processingAt) return started;
  const from = Date.parse(imp.processingAt);
  if (imp.completedAt) return `${started} · processed in ${formatDuration(Date.parse(imp.completedAt) - from)}`;
  const elapsed = Math.max(0, now - from);
  const left = imp.progress >= 0.05 && elapsed >= 1000 ? (elapsed * (1 - imp.progress)) / imp.progress : null;
  return `${started} · running for ${formatDuration(elapsed)}${left === null ? '' : ` · about ${formatDuration(left)} left`}`;
}

export function ImportStatus({ imp, label }: { imp: Import; label: string }) {
  const now = useNow(1000, imp.status === 'processing' || imp.status === 'undoing');
  const tone = imp.status !== 'completed' ? 'active' : imp.stillFailing > 0 && !imp.dryRun ? 'warning' : 'done';
  // Screen readers hear the phase and every tenth of progress, not every tick.
  const announcement =
    imp.status === 'completed' || imp.status === 'cancelled' || imp.status === 'undone'
      ? stateSentence(imp)
      : imp.status === 'receiving'
        ? `Receiving: ${plural(totals(imp).received, 'record')} so far`
        : `${phaseLabel(imp.phase)}: ${formatPercent(Math.floor(imp.progress * 10) / 10)}`;
  return (
    <div className="import-status">
      <p className="state">
        <StatusBadge imp={imp} /> <span>{stateSentence(imp)}</span>
      </p>
      {/* One bar in one place from receiving to completed: the same element, so it moves instead of being replaced. */}
      {imp.status !== 'cancelled' && imp.status !== 'undone' && (
        <ProgressBar
          value={imp.status === 'receiving' ? null : imp.progress}
          label={label}
          tone={tone}
          {...(imp.status === 'receiving' ? { text: `${plural(totals(imp).received, 'record')} received` } : {})}
        />
      )}
      <p className="muted timing">{timing(imp, now)}</p>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}
