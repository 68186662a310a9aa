// The import summary: live status and progress, counts per type, the error file, and retries of the failed records.
import { useState } from 'react';
import { api, ApiError, type Import } from '../api.ts';
import { CancelImport, WaitingNotice } from '../components/cancel-import.tsx';
import { CountsTable } from '../components/counts-table.tsx';
import { ImportList } from '../components/import-list.tsx';
import { ImportStatus } from '../components/import-status.tsx';
import { UndoImport } from '../components/undo-import.tsx';
import { actorLabel, failureSummary, formatDateTime, formatNumber, kindLabel, plural, sourceLabel, totals } from '../format.ts';
import { useLiveImport, usePageTitle, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

export function ImportPage({ id }: { id: string }) {
  // An undo moves a completed import on after its event stream ended: following it again shows undoing → undone.
  const [restart, setRestart] = useState(0);
  const { data: imp, error } = useLiveImport(id, restart);
  const title = imp ? `${kindLabel(imp)} from ${sourceLabel(imp.source)}` : 'Import';
  const heading = usePageTitle(title);
  if (error) {
    return (
      <div className="page">
        <h1 ref={heading} tabIndex={-1}>
          Import not found
        </h1>
        <p role="alert">{error}</p>
        <Link href="/">Back to the home page</Link>
      </div>
    );
  }
  return (
    <div className="page import-page">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {imp ? <ImportDetail imp={imp} onUndoStarted={() => setRestart((n) => n + 1)} /> : <p className="muted">Loading…</p>}
    </div>
  );
}

function ImportDetail({ imp, onUndoStarted }: { imp: Import; onUndoStarted: () => void }) {
  const failed = totals(imp).failed;
  // Retries of this import come from the practice's import list (each import names the one it retries). The one
  // under way, or just started here, is followed live and stands in for its listed copy.
  const [created, setCreated] = useState<Import | null>(null);
  const listed = useResource(`retries:${imp.id}:${created?.id ?? ''}`, async () =>
    (await api.imports(200)).filter((i) => i.retryOf === imp.id),
  );
  const pending = listed.data?.find((i) => i.status === 'receiving' || i.status === 'processing') ?? null;
  const { data: active } = useLiveImport(created?.id ?? pending?.id ?? null);
  const retries = listed.data && (active && !listed.data.some((i) => i.id === active.id) ? [active, ...listed.data] : listed.data);
  const shown = retries?.map((i) => (i.id === active?.id ? active : i)) ?? null;

  return (
    <>
      <p className="muted subtitle">
        {formatDateTime(imp.createdAt)} · started by {actorLabel(imp.startedBy)}
        {imp.retryOf && (
          <>
            {' · '}
            <Link href={`/imports/${imp.retryOf}`}>retry of an earlier import</Link>
          </>
        )}
      </p>
      {imp.dryRun && (
        <p className="notice dry-run" role="note">
          <strong>Dry run — nothing was written.</strong> BrightClient checked, linked and matched every record as it would for an import
          from {sourceLabel(imp.source)}, and counted what would happen; no client, contact or address was added or changed, and nothing
          here needs fixing or retrying. Sending the same export for real gives these counts and this error file.
        </p>
      )}
      <section className="card" aria-labelledby="progress-title">
        <h2 id="progress-title" className="visually-hidden">
          Progress
        </h2>
        <ImportStatus imp={imp} label="Import progress" />
        <WaitingNotice imp={imp} />
        <CancelImport imp={imp} />
      </section>
      <section className="card" aria-labelledby="counts-title">
        <h2 id="counts-title">Records</h2>
        <CountsTable imp={imp} />
        {!imp.dryRun && <FailureArithmetic imp={imp} />}
        {notSentOf(imp) > 0 && (
          <p className="notice" role="status">
            {notSentOf(imp).toLocaleString('en-GB')} of the records this retry asked for were not sent by {sourceLabel(imp.source)}; they
            still fail in the <Link href={`/imports/${imp.retryOf}`}>earlier import</Link>.
          </p>
        )}
        {imp.errorFile && (
          <div className="actions">
            <a className="button" href={imp.errorFile} download>
              {imp.dryRun ? 'Download would-be error file' : 'Download error file'}
            </a>
            <a className="button secondary" href={`${imp.errorFile}?format=xlsx`} download>
              Download (Excel)
            </a>
            <span className="muted">CSV or Excel: one row per failing field, with the record, its client reference and the reason.</span>
          </div>
        )}
      </section>
      {imp.status === 'completed' && !imp.dryRun && failed > 0 && shown && (
        <RetrySection imp={imp} active={active} onCreated={setCreated} />
      )}
      {shown && shown.length > 0 && (
        <section className="card" aria-labelledby="retries-title">
          <h2 id="retries-title">Retries of this import</h2>
          <ImportList imports={shown} empty="" />
        </section>
      )}
      <UndoImport imp={imp} onStarted={onUndoStarted} />
    </>
  );
}

/** The retry button (while records still fail and no retry is under way), and the latest retry's live progress. */
function RetrySection({ imp, active, onCreated }: { imp: Import; active: Import | null; onCreated: (retry: Import) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // What still fails after earlier retries: the button retries exactly that. Re-read as the active retry moves on.
  const stillFailing = useResource(`failed-refs:${imp.id}:${active?.id ?? ''}:${active?.status ?? ''}`, () => api.failedRefs(imp.id));
  const failing = stillFailing.data ? Object.values(stillFailing.data).reduce((n, refs) => n + refs.length, 0) : null;
  const running = active !== null && (active.status === 'receiving' || active.status === 'processing');

  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.retry(imp.id));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'nothing_to_retry') {
        setError('Nothing to retry: every record that failed has been imported since.');
        stillFailing.reload();
      } else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="retry-title">
      <h2 id="retry-title">Retry the failed records</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {active && (
        <div className="retry-active">
          <ImportStatus imp={active} label="Retry progress" />
          <WaitingNotice imp={active} />
          <CancelImport imp={active} />
          <p>
            <Link href={`/imports/${active.id}`}>Open the retry</Link>
          </p>
        </div>
      )}
      {!running &&
        failing !== null &&
        (failing > 0 ? (
          <div className="actions">
            <button type="button" onClick={() => void retry()} disabled={busy}>
              {busy ? 'Starting the retry…' : 'Retry failed records'}
            </button>
            <span className="muted">
              Fix them in {sourceLabel(imp.source)} first: it then resends the {plural(failing, 'record')} that still{' '}
              {failing === 1 ? 'fails' : 'fail'}, and only those.
              {failing < imp.stillFailing &&
                ` A retry asks for each ref once: ${formatNumber(imp.stillFailing - failing)} of the records still failing have no ref or repeat one.`}
            </span>
          </div>
        ) : (
          <p className="muted">Every failed record of this import has been imported since.</p>
        ))}
    </section>
  );
}

/** A completed retry: how many of the refs it asked for the source did not send. */
function notSentOf(imp: Import): number {
  return imp.notSent ? imp.notSent.clients + imp.notSent.contacts + imp.notSent.addresses : 0;
}

/**
 * "5,600 failed · 12 still failing", and why the numbers differ: records imported since by retries or later imports,
 * and later copies of a ref whose first copy was imported — those are not failing any more and are never retried.
 */
function FailureArithmetic({ imp }: { imp: Import }) {
  const summary = failureSummary(imp);
  if (!summary) return null;
  const gone = totals(imp).failed - imp.stillFailing;
  return (
    <p className="failure-summary">
      <strong>{summary}.</strong>{' '}
      {gone > 0 &&
        `${plural(gone, 'failed record is', 'failed records are')} not failing any more: imported since by a retry or a later import from ${sourceLabel(imp.source)}, or a later copy of a ref whose first copy was imported (a duplicate is never retried).`}
    </p>
  );
}
