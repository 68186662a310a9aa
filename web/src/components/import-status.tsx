// An import's state at a glance: badge, phase, live progress bar, timing and an estimate of the time left.
import type { Import } from '../api.ts';
import {
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

export function StatusBadge({ imp }: { imp: Import }) {
  if (imp.status !== 'completed')
    return <span className={`badge badge-${imp.status}`}>{imp.status === 'receiving' ? 'Receiving' : 'Processing'}</span>;
  const failed = totals(imp).failed;
  return failed > 0 ? (
    <span className="badge badge-failed">Completed with {plural(failed, 'failure')}</span>
  ) : (
    <span className="badge badge-ok">Completed</span>
  );
}

/** What the import is doing now, in a sentence. */
function stateSentence(imp: Import): string {
  const source = sourceLabel(imp.source);
  if (imp.status === 'receiving') {
    if (imp.retryOf)
      return `Waiting for ${source} to resend ${plural(requestedCount(imp), 'failed record')} (${plural(imp.batches.received, 'batch', 'batches')} received so far).`;
    return `Receiving batches from ${source}: ${plural(imp.batches.received, 'batch', 'batches')} received so far.`;
  }
  if (imp.status === 'processing')
    return `${phaseLabel(imp.phase)} — ${plural(imp.batches.expected ?? imp.batches.received, 'batch', 'batches')} from ${source}.`;
  const t = totals(imp);
  return `${plural(t.imported, 'record')} imported, ${formatNumberOrNone(t.failed)} failed, ${formatNumberOrNone(t.skipped)} skipped.`;
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
  const now = useNow(1000, imp.status === 'processing');
  const failed = totals(imp).failed;
  const tone = imp.status !== 'completed' ? 'active' : failed > 0 ? 'warning' : 'done';
  // Screen readers hear the phase and every tenth of progress, not every tick.
  const announcement =
    imp.status === 'completed'
      ? `Completed: ${stateSentence(imp)}`
      : `${phaseLabel(imp.phase)}: ${formatPercent(Math.floor(imp.progress * 10) / 10)}`;
  return (
    <div className="import-status">
      <p className="state">
        <StatusBadge imp={imp} /> <span>{stateSentence(imp)}</span>
      </p>
      <ProgressBar value={imp.progress} label={label} tone={tone} />
      <p className="muted timing">{timing(imp, now)}</p>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}
