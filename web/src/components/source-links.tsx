// Where a central client or contact came from (SPEC §9): one row per source link — the product and its ref, how the
// link was made and when, the import that brought it — and the values that source sent which differ from the
// central record's, beside them. The first source's values stand, so this is where a later product's view shows.
import type { SourceRef } from '../api.ts';
import { fieldLabel, fieldValue, formatDateTime, inFieldOrder, matchedByLabel, plural, sourceLabel } from '../format.ts';
import { Link } from '../router.tsx';

/** The verb of a link's time: a record is created by its first source, matched, merged or split later. */
const WHEN: Record<string, string> = { new: 'Created', review: 'Merged', split: 'Split off' };

export function SourceLinks({
  sources,
  record,
  noun,
}: {
  sources: SourceRef[];
  /** the central record, whose values the differing ones stand beside */
  record: Readonly<Record<string, unknown>>;
  noun: 'client' | 'contact';
}) {
  const products = new Set(sources.map((s) => s.source)).size;
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
