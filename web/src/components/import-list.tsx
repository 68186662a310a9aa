// A list of imports, newest first: when, from where, how it went.
import type { Import } from '../api.ts';
import { formatDateTime, formatNumber, sourceLabel, totals } from '../format.ts';
import { Link } from '../router.tsx';
import { StatusBadge } from './import-status.tsx';

export function ImportList({ imports, empty }: { imports: Import[]; empty: string }) {
  if (imports.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="import-list">
      {imports.map((imp) => {
        const t = totals(imp);
        return (
          <li key={imp.id}>
            <Link href={`/imports/${imp.id}`} className="import-link">
              {imp.retryOf ? 'Retry' : 'Import'} from {sourceLabel(imp.source)}, {formatDateTime(imp.createdAt)}
            </Link>
            <StatusBadge imp={imp} />
            <span className="muted">
              {formatNumber(t.received)} received · {formatNumber(t.imported)} imported · {formatNumber(t.failed)} failed ·{' '}
              {formatNumber(t.skipped)} skipped
            </span>
          </li>
        );
      })}
    </ul>
  );
}
