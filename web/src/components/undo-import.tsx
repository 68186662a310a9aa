// "Undo this import" (SPEC §10): asks the server what an undo would remove and keep, shows it with some of the
// names, and only then offers the confirmation, which names what goes. Refused undos say why (records of other
// imports depend on it, a retry is still running). The page follows the undo live once it has started.
import { useState } from 'react';
import { api, type Import, type UndoPreview } from '../api.ts';
import { plural, sourceLabel } from '../format.ts';

const TYPES = ['clients', 'contacts', 'addresses'] as const;
const NOUNS = { clients: ['client', 'clients'], contacts: ['contact', 'contacts'], addresses: ['address', 'addresses'] } as const;

const listed = (preview: UndoPreview, member: 'remove' | 'keep') =>
  TYPES.filter((t) => preview.counts[t][member] > 0)
    .map((t) => plural(preview.counts[t][member], NOUNS[t][0], NOUNS[t][1]))
    .join(', ');

export function UndoImport({ imp, onStarted }: { imp: Import; onStarted: () => void }) {
  const [preview, setPreview] = useState<UndoPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (imp.status !== 'completed' || imp.dryRun) return null;

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const retries = preview ? preview.imports.length - 1 : 0;
  const kept = preview ? listed(preview, 'keep') : '';

  return (
    <section className="card undo-import" aria-labelledby="undo-title">
      <h2 id="undo-title">Undo this import</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!preview ? (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void act(async () => setPreview(await api.undoPreview(imp.id)))}
          >
            {busy ? 'Looking at what it would remove…' : 'Undo this import…'}
          </button>
          <span className="muted">
            Takes back what it brought into BrightClient{imp.kind === 'retry' ? '' : ', with its retries'}; you see what would go before
            anything happens.
          </span>
        </div>
      ) : (
        <div className="undo-preview">
          <p>
            {preview.removeTotal === 0 ? (
              'Nothing would be removed: every record it brought is shared with another product.'
            ) : (
              <>
                Removes <strong>{listed(preview, 'remove')}</strong> from BrightClient
                {retries > 0 && ` (this import and ${plural(retries, 'retry', 'retries')} of it)`}.
              </>
            )}
          </p>
          {TYPES.some((t) => preview.examples[t].length > 0) && (
            <ul className="undo-examples">
              {TYPES.filter((t) => preview.examples[t].length > 0).map((t) => (
                <li key={t}>
                  {NOUNS[t][1]}: {preview.examples[t].join('; ')}
                  {preview.counts[t].remove > preview.examples[t].length &&
                    ` and ${preview.counts[t].remove - preview.examples[t].length} more`}
                </li>
              ))}
            </ul>
          )}
          {kept && (
            <p className="muted">
              Keeps {kept}: another product links them too, so only {sourceLabel(imp.source)}’s link goes and their data stays as it is.
            </p>
          )}
          {preview.refusal ? (
            <>
              <p className="notice" role="status">
                It cannot be undone now: {preview.refusal.detail}
              </p>
              <div className="actions">
                <button type="button" className="secondary" onClick={() => setPreview(null)}>
                  Close
                </button>
              </div>
            </>
          ) : (
            <div className="actions">
              <span className="question">
                Remove {plural(preview.removeTotal, 'record')} ({listed(preview, 'remove') || 'none'})? {sourceLabel(imp.source)} can send
                them again afterwards.
              </span>
              <button
                type="button"
                className="danger"
                disabled={busy}
                autoFocus
                onClick={() =>
                  void act(async () => {
                    await api.undo(imp.id);
                    onStarted();
                  })
                }
              >
                {busy ? 'Starting the undo…' : `Yes, remove ${plural(preview.removeTotal, 'record')}`}
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => setPreview(null)}>
                Keep the import
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
