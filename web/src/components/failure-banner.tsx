// The home page's banner: what is still wrong. One summary line — how many records are still failing, from how
// many recent imports — with each import behind it (failed · still failing, error file, view, dismiss), so five
// imports do not fill a phone screen. An import leaves it once retries brought its records in, or when dismissed.
import { useRef, useState } from 'react';
import { api, type Import } from '../api.ts';
import { actorLabel, failureSummary, formatDateTime, kindLabel, plural, sourceLabel } from '../format.ts';
import { useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

export function FailureBanner() {
  const banner = useResource('banner', api.banner);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLUListElement | null>(null);
  const imports = (banner.data?.imports ?? []).filter((i) => !hidden.has(i.id));
  if (imports.length === 0 && !error) return null;

  const dismiss = async (imp: Import, index: number) => {
    // Focus goes to the next import's Dismiss (or the previous one), instead of being lost with the button that
    // disappears; with the last one the banner goes, and focus goes to the page's heading.
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button.dismiss');
    const next = buttons?.[index + 1] ?? buttons?.[index - 1] ?? document.querySelector<HTMLElement>('main h1');
    next?.focus();
    setHidden((h) => new Set(h).add(imp.id));
    try {
      await api.dismiss(imp.id);
      banner.reload(); // the count of records still failing, without the dismissed import's
    } catch (e) {
      setHidden((h) => new Set([...h].filter((id) => id !== imp.id)));
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  // The server counts each record once across the listed imports: an import and its retry may share one.
  const still = banner.data?.stillFailing ?? 0;
  const headline = `${plural(still, 'record is', 'records are')} still failing in ${plural(imports.length, 'recent import')}`;

  return (
    <section className="banner" aria-labelledby="banner-title">
      {error && <p role="alert">{error}</p>}
      <details>
        <summary>
          <h2 id="banner-title">{headline}</h2>
          <span className="muted"> · details</span>
        </summary>
        <ul ref={list}>
          {imports.map((imp, index) => (
            <li key={imp.id} className="banner-item">
              <p>
                <strong>
                  {kindLabel(imp)} from {sourceLabel(imp.source)}
                </strong>
                , {formatDateTime(imp.createdAt)}
                {imp.startedBy.kind === 'user' && <> (started by {actorLabel(imp.startedBy)})</>}: {failureSummary(imp)}
              </p>
              <div className="actions">
                {imp.errorFile && (
                  <>
                    <a className="button small" href={imp.errorFile} download>
                      Error file
                    </a>
                    <a className="button secondary small" href={`${imp.errorFile}?format=xlsx`} download>
                      Excel
                    </a>
                  </>
                )}
                <Link className="button secondary small" href={`/imports/${imp.id}`}>
                  View import
                </Link>
                <button
                  type="button"
                  className="link-button dismiss"
                  onClick={() => void dismiss(imp, index)}
                  aria-label={`Dismiss the ${kindLabel(imp).toLowerCase()} of ${formatDateTime(imp.createdAt)}`}
                >
                  Dismiss
                </button>
              </div>
            </li>
          ))}
        </ul>
      </details>
      <p className="banner-next">
        <Link href="/failures">See every record still failing</Link>, grouped by reason, root causes first.
      </p>
    </section>
  );
}
