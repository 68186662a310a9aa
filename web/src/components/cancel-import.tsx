// What a receiving import waits for, and the way out: Cancel, confirmed in a second step. A retry (or an
// activation) pressed here waits for its source product's sync to send the records; the page says what is awaited,
// from which product, since when, and that the sync must be running, so nobody waits for ever without knowing why.
import { api, type Import } from '../api.ts';
import { actorLabel, formatDateTime, plural, requestedCount, sourceLabel } from '../format.ts';
import { ConfirmedActions } from './confirmed-actions.tsx';

const noun = (imp: Import) => ({ import: 'import', retry: 'retry', activation: 'activation import' })[imp.kind];

export function WaitingNotice({ imp }: { imp: Import }) {
  if (imp.status !== 'receiving' || imp.batches.received > 0) return null;
  const source = sourceLabel(imp.source);
  const what = imp.retryOf
    ? plural(requestedCount(imp), 'failed record')
    : imp.kind === 'activation'
      ? `its whole export (BrightClient was activated by ${actorLabel(imp.startedBy)})`
      : 'its records';
  return (
    <div className="notice waiting" role="status">
      <p>
        Waiting since {formatDateTime(imp.createdAt)} for {source} to send {what}. Nothing has arrived yet.
      </p>
      <p className="muted">
        {source}’s sync must be running for this: on the product’s side, <code>brightclient agent &lt;export folder&gt;</code> finds this{' '}
        {noun(imp)} and sends the records. If nobody will, cancel it.
      </p>
    </div>
  );
}

export function CancelImport({ imp }: { imp: Import }) {
  if (imp.status !== 'receiving') return null;
  const what = noun(imp);
  return (
    <ConfirmedActions
      className="cancel-import"
      choices={[
        {
          label: `Cancel this ${what}`,
          tone: 'secondary',
          question: `Cancel this ${what}? What has arrived is dropped and nothing is imported; ${sourceLabel(imp.source)} can send again later.`,
          confirm: `Yes, cancel the ${what}`,
          running: 'Cancelling…',
          confirmTone: 'danger',
          back: 'Keep it',
          run: async () => {
            await api.cancel(imp.id); // the page's event stream brings the cancelled import
          },
        },
      ]}
    />
  );
}
