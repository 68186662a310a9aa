// A list of imports, newest first, each told apart at a glance: what kind, from where, who started it, when, and
// how it went.
import type { Import } from '../api.ts';
import { actorLabel, failureSummary, formatDateTime, formatNumber, kindLabel, sourceLabel, totals } from '../format.ts';
import { Link } from '../router.tsx';
import { StatusBadge } from './import-status.tsx';

function countsLine(imp: Import): string {
  const t = totals(imp);
  if (imp.status === 'receiving') return `${formatNumber(t.received)} records received so far`;
  if (imp.status === 'cancelled') return `${formatNumber(t.received)} records had arrived · nothing imported`;
  if (imp.dryRun && imp.status === 'completed')
    return `${formatNumber(t.received)} received · ${formatNumber(t.imported)} would be imported · ${formatNumber(t.failed)} would fail · ${formatNumber(t.skipped)} would be skipped`;
  const failures = failureSummary(imp) ?? `${formatNumber(t.failed)} failed`;
  return `${formatNumber(t.received)} received · ${formatNumber(t.imported)} imported · ${failures} · ${formatNumber(t.skipped)} skipped`;
}

export function ImportList({ imports, empty }: { imports: Import[]; empty: string }) {
  if (imports.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="import-list">
      {imports.map((imp) => (
        <li key={imp.id}>
          <Link href={`/imports/${imp.id}`} className="import-link">
            {kindLabel(imp)} from {sourceLabel(imp.source)}
          </Link>
          <StatusBadge imp={imp} />
          <span className="muted">
            {formatDateTime(imp.createdAt)} · started by {actorLabel(imp.startedBy)}
          </span>
          <span className="muted">{countsLine(imp)}</span>
        </li>
      ))}
    </ul>
  );
}
