// Where a central client or contact came from (SPEC §9): one row per source link — the product and its ref, how the
// link was made and when, the import that brought it — and the values that source sent which differ from the
// central record's, beside them. The first source's values stand, so this is where a later product's view shows.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type SourceRef } from '../api.ts';
import { fieldLabel, fieldValue, formatDateTime, inFieldOrder, matchedByLabel, plural, sourceLabel } from '../format.ts';
import { Link } from '../router.tsx';
import { ConfirmedActions } from './confirmed-actions.tsx';

/** The verb of a link's time: a record is created by its first source, matched, merged or split later. */
const WHEN: Record<string, string> = { new: 'Created', review: 'Merged', split: 'Split off' };

export function SourceLinks({
  id,
  sources,
  record,
  type,
  onChanged,
}: {
  id: string;
  sources: SourceRef[];
  /** the central record, whose values the differing ones stand beside */
  record: Readonly<Record<string, unknown>>;
  type: 'clients' | 'contacts';
  /** after a split: the page reads the record again */
  onChanged: () => void;
}) {
  const noun = type === 'clients' ? 'client' : 'contact';
  const products = new Set(sources.map((s) => s.source)).size;
  const [splitOff, setSplitOff] = useState<ReactNode>(null);
  const said = useRef<HTMLParagraphElement | null>(null);
  useEffect(() => {
    if (splitOff) said.current?.focus();
  }, [splitOff]);
  const split = async (s: SourceRef) => {
    const result = await api.split(type, id, s.source, s.ref);
    const created = (type === 'clients' ? result.clients : result.contacts).find((r) => r.id !== id);
    const what = `${sourceLabel(s.source)} ${s.ref}`;
    setSplitOff(
      created ? (
        <>
          {what} is now a {noun} of its own:{' '}
          <Link href={`/${type}/${created.id}`}>
            {'name' in created ? created.name : [created.title, created.firstName, created.lastName].filter(Boolean).join(' ')}
          </Link>
          .
        </>
      ) : (
        `${what} is now a ${noun} of its own.`
      ),
    );
    onChanged();
  };
  // The first source first: its values are the record's; the later ones' differences read against it.
  const ordered = [...sources].sort((a, b) => a.matchedAt.localeCompare(b.matchedAt) || a.source.localeCompare(b.source));
  return (
    <section className="card" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <p className="muted">
        {sources.length === 1
          ? `One source record: this ${noun} came from one product.`
          : `${plural(sources.length, 'source record')} from ${plural(products, 'product')} are this one ${noun}. The first one’s values stand; a value another source sent differently is shown beside it.`}
      </p>
      {splitOff && (
        <p className="notice done" role="status" tabIndex={-1} ref={said}>
          {splitOff}
        </p>
      )}
      <ul className="source-list">
        {ordered.map((s) => (
          <li key={`${s.source}:${s.ref}`} className="source-item">
            <div className="source-head">
              <span className="source-name">{sourceLabel(s.source)}</span>
              <span className="source-ref">
                ref <code>{s.ref}</code>
              </span>
              <span className={`match-how${s.matchedBy === 'new' ? ' match-new' : ''}`}>{matchedByLabel(s.matchedBy)}</span>
            </div>
            <p className="source-when muted">
              {WHEN[s.matchedBy] ?? 'Matched'} {formatDateTime(s.matchedAt)} ·{' '}
              <Link href={`/imports/${s.importId}`}>
                View import<span className="visually-hidden"> that brought {`${sourceLabel(s.source)} ${s.ref}`}</span>
              </Link>
            </p>
            <DifferingValues source={s} record={record} />
            {sources.length > 1 && <SplitOff source={s} others={ordered.filter((o) => o !== s)} noun={noun} split={split} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DifferingValues({ source, record }: { source: SourceRef; record: Readonly<Record<string, unknown>> }) {
  const fields = inFieldOrder(Object.keys(source.values ?? {}));
  if (fields.length === 0) return source.matchedBy === 'new' ? null : <p className="source-same muted">Sent the same values.</p>;
  const product = sourceLabel(source.source);
  return (
    <table className="source-values">
      <caption className="visually-hidden">
        Values {product} {source.ref} sent that differ from this record’s
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{product} sent</th>
          <th scope="col">In BrightClient</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr key={field}>
            <th scope="row">{fieldLabel(field)}</th>
            <td data-label={`${product} sent`} className="theirs">
              {fieldValue(field, source.values?.[field])}
            </td>
            <td data-label="In BrightClient">{fieldValue(field, record[field]) || <span className="muted">(empty)</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SplitOff({
  source,
  others,
  noun,
  split,
}: {
  source: SourceRef;
  others: SourceRef[];
  noun: string;
  split: (s: SourceRef) => Promise<void>;
}) {
  const what = `${sourceLabel(source.source)} ${source.ref}`;
  const staying = others.map((o) => `${sourceLabel(o.source)} ${o.ref}`).join(' and ');
  return (
    <ConfirmedActions
      className="split-off"
      choices={[
        {
          label: 'Split off',
          name: `Split off ${what}`,
          tone: 'secondary',
          question: `Split ${what} off into a ${noun} of its own? It takes the values ${sourceLabel(source.source)} sent; ${staying} ${others.length === 1 ? 'stays' : 'stay'} here.`,
          confirm: `Yes, split off ${what}`,
          running: 'Splitting…',
          run: () => split(source),
        },
      ]}
    />
  );
}
