// The home page's Activation panel (SPEC §10): one line per product, from "not started" to "completed" with its
// counts, kept live by polling GET /v1/activation while a product is under way. It shows until every product has
// completed (and, on a page that watched the last one finish, stays until the page is left, so the end is seen).
import { useEffect, useState } from 'react';
import { api, type ActivationSource } from '../api.ts';
import { actorLabel, formatDateTime, formatNumber, phaseLabel, plural, sourceLabel, totals } from '../format.ts';
import { useResource } from '../hooks.ts';
import { Link } from '../router.tsx';
import { ProgressBar } from './progress-bar.tsx';

const UNDER_WAY: ActivationSource['state'][] = ['waiting', 'receiving', 'processing'];

function Line({ line }: { line: ActivationSource }) {
  const name = sourceLabel(line.source);
  const imp = line.import;
  const link = imp && (
    <Link href={`/imports/${imp.id}`} className="muted">
      See the import
    </Link>
  );
  switch (line.state) {
    case 'not_started':
      return <p className="muted">Nothing asked of {name} yet: activating asks it for its records.</p>;
    case 'waiting':
      return (
        <p className="muted">
          Waiting for {name} to send its records (asked {formatDateTime(imp!.createdAt)}; its BrightClient agent picks it up). {link}
        </p>
      );
    case 'receiving':
      return (
        <>
          <ProgressBar
            value={null}
            label={`${name}: receiving`}
            text={`${plural(imp!.batches.received, 'batch', 'batches')} · ${plural(totals(imp!).received, 'record')} received`}
          />
          {link}
        </>
      );
    case 'processing':
      return (
        <>
          <ProgressBar value={imp!.progress} label={`${name}: ${phaseLabel(imp!.phase)}`} />
          <p className="muted">
            {phaseLabel(imp!.phase)} · {plural(totals(imp!).received, 'record')} {link}
          </p>
        </>
      );
    case 'completed': {
      const t = totals(imp!);
      const matched = Object.values(imp!.counts).reduce((n, c) => n + c.matched, 0);
      return (
        <p>
          {formatNumber(t.imported)} imported ({formatNumber(matched)} matched to another product’s records) · {formatNumber(t.failed)}{' '}
          failed
          {t.failed > 0 && <> · {imp!.stillFailing === 0 ? 'all imported since' : `${formatNumber(imp!.stillFailing)} still failing`}</>}
          {' · '}
          {formatNumber(t.skipped)} skipped. {link}
        </p>
      );
    }
    case 'cancelled':
      return (
        <p className="muted">
          {imp!.status === 'undone'
            ? 'Undone: nothing of it is left.'
            : imp!.cancelReason === 'expired'
              ? `Expired: ${name} sent nothing in time.`
              : `Cancelled by ${imp!.cancelledBy ? actorLabel(imp!.cancelledBy) : 'nobody'}.`}{' '}
          Activate again to ask {name} once more. {link}
        </p>
      );
  }
}

const STATE_LABELS: Record<ActivationSource['state'], string> = {
  not_started: 'Not started',
  waiting: 'Waiting for the product',
  receiving: 'Receiving',
  processing: 'Processing',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

const badgeClass = (line: ActivationSource) =>
  line.state === 'completed'
    ? line.import!.stillFailing > 0
      ? 'badge-failed'
      : 'badge-ok'
    : line.state === 'cancelled' || line.state === 'not_started'
      ? 'badge-cancelled'
      : `badge-${line.state === 'processing' ? 'processing' : 'receiving'}`;

/** `onActivated`: after the button opened imports (the home page's list of imports shows them at once). */
export function ActivationPanel({ onActivated }: { onActivated: () => void }) {
  const activation = useResource('activation', api.activation);
  const [sawUnfinished, setSawUnfinished] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const data = activation.data;
  const underWay = data?.sources.some((s) => UNDER_WAY.includes(s.state)) ?? false;
  useEffect(() => {
    if (data && !data.completed) setSawUnfinished(true);
  }, [data]);
  useEffect(() => {
    const timer = window.setInterval(activation.reload, underWay ? 2000 : 15000);
    return () => window.clearInterval(timer);
  }, [underWay, activation.reload]);

  if (activation.error) return <p role="alert">{activation.error}</p>;
  if (!data || data.sources.length === 0 || (data.completed && !sawUnfinished)) return null;
  const toAsk = data.sources.some((s) => s.state === 'not_started' || s.state === 'cancelled');
  const activate = () => {
    setBusy(true);
    setError(null);
    api.activate().then(
      () => {
        setBusy(false);
        activation.reload();
        onActivated();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  return (
    <section className="card activation" aria-labelledby="activation-title">
      <h2 id="activation-title">Activation</h2>
      {data.activatedAt && data.activatedBy ? (
        <p className="muted">
          Activated by {actorLabel(data.activatedBy)} at {formatDateTime(data.activatedAt)}.
          {data.completed ? ' Every product has migrated its records.' : ' Each product migrates its records on its own.'}
        </p>
      ) : (
        <p className="muted">
          Activating BrightClient asks each of your products to send its clients, contacts and address histories. You follow their progress
          here and fix what fails.
        </p>
      )}
      <ul className="activation-list">
        {data.sources.map((line) => (
          <li key={line.source}>
            <div className="activation-head">
              <strong>{sourceLabel(line.source)}</strong>
              <span className={`badge ${badgeClass(line)}`}>{STATE_LABELS[line.state]}</span>
            </div>
            <Line line={line} />
          </li>
        ))}
      </ul>
      {error && <p role="alert">{error}</p>}
      {toAsk && (
        <button type="button" onClick={activate} disabled={busy}>
          {data.activatedAt ? 'Activate again for the products not started' : 'Activate BrightClient'}
        </button>
      )}
    </section>
  );
}
