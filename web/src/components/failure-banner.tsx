// The home page's banner: recent imports that completed with failures, until the user dismisses each one.
import { useState } from 'react';
import { api, type Import } from '../api.ts';
import { formatDateTime, plural, sourceLabel, totals } from '../format.ts';
import { useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

export function FailureBanner() {
  const banner = useResource('banner', api.banner);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const imports = (banner.data ?? []).filter((i) => !hidden.has(i.id));
  if (imports.length === 0 && !error) return null;

  const dismiss = async (imp: Import) => {
    setHidden((h) => new Set(h).add(imp.id));
    try {
      await api.dismiss(imp.id);
    } catch (e) {
      setHidden((h) => new Set([...h].filter((id) => id !== imp.id)));
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="banner" aria-labelledby="banner-title">
      <h2 id="banner-title">{imports.length === 1 ? 'An import had failures' : `${imports.length} imports had failures`}</h2>
      {error && <p role="alert">{error}</p>}
      <ul>
        {imports.map((imp) => (
          <li key={imp.id} className="banner-item">
            <p>
              The import from <strong>{sourceLabel(imp.source)}</strong> on {formatDateTime(imp.createdAt)} could not import{' '}
              <strong>{plural(totals(imp).failed, 'record')}</strong>.
            </p>
            <div className="actions">
              {imp.errorFile && (
                <>
                  <a className="button" href={imp.errorFile} download>
                    Download error file
                  </a>
                  <a className="button secondary" href={`${imp.errorFile}?format=xlsx`} download>
                    Download (Excel)
                  </a>
                </>
              )}
              <Link className="button secondary" href={`/imports/${imp.id}`}>
                View import
              </Link>
              <button
                type="button"
                className="link-button"
                onClick={() => void dismiss(imp)}
                aria-label={`Dismiss the import of ${formatDateTime(imp.createdAt)}`}
              >
                Dismiss
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
