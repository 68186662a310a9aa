// One review item (SPEC §9): the candidate records side by side, lettered A, B…, with the evidence — each compared
// field's values and whether they agree — and, while open, Merge and Keep apart, each confirmed first.
import { api, ApiError, type ChangedRecords, type MatchCandidate, type MatchItem } from '../api.ts';
import { actorLabel, fieldLabel, fieldValue, formatDateTime, matchKindLabel, sourceLabel } from '../format.ts';
import { Link } from '../router.tsx';
import { ConfirmedActions } from './confirmed-actions.tsx';

/** What became of an item decided here; `elsewhere`: someone else decided it meanwhile (409 match_decided). */
export type Decision = 'merged' | 'kept_apart' | 'elsewhere';
export type OnDecided = (item: MatchItem, how: Decision, result: ChangedRecords | null) => void;

const IDENTIFIERS: Record<string, string> = { companyNumber: 'company number', utr: 'UTR', vatNumber: 'VAT number' };
const listed = (words: string[]) => words.join(' and ');

/** Why the item was opened, in words, from its evidence: what agrees, what contradicts, which product sent both. */
function explanation(item: MatchItem): string {
  const noun = item.recordType === 'clients' ? 'client' : 'contact';
  const identifiers = item.evidence.filter((e) => e.field in IDENTIFIERS);
  const shared = identifiers.filter((e) => e.same).map((e) => IDENTIFIERS[e.field]!);
  const contradicting = identifiers.filter((e) => !e.same && e.values.every(Boolean)).map((e) => IDENTIFIERS[e.field]!);
  switch (item.kind) {
    case 'conflict':
      return shared.length > 0 && contradicting.length > 0
        ? `They have the same ${listed(shared)}, but the ${listed(contradicting)} ${contradicting.length === 1 ? 'differs' : 'differ'}, so they were not joined.`
        : 'They share an identifier, but another identifier they both have contradicts it, so they were not joined.';
    case 'same_source': {
      const sources = item.candidates.map((c) => new Set(c.sources.map((s) => s.source)));
      const both = [...(sources[0] ?? [])].filter((s) => sources.every((set) => set.has(s)));
      const who = both.length > 0 ? listed(both.map(sourceLabel)) : 'One product';
      return `${who} sent these as separate records that look like one; a product’s own records are never joined without review.`;
    }
    default:
      return `The same name and the same postcode, email or phone, but no shared identifier: they may be one ${noun}.`;
  }
}

const letter = (i: number) => String.fromCharCode(65 + i);

interface Column {
  letter: string;
  id: string;
  /** null: merged away since the item was opened */
  candidate: MatchCandidate | null;
}

interface Row {
  field: string;
  label: string;
  values: string[];
  verdict: { className: string; text: string };
}

function verdictOf(values: string[], same: boolean): Row['verdict'] {
  if (same) return { className: 'agree', text: 'Same' };
  const holders = values.flatMap((v, i) => (v ? [letter(i)] : []));
  if (holders.length < values.length) return { className: 'partial', text: `Only ${holders.join(', ')}` };
  return { className: 'differ', text: 'Differs' };
}

/** The evidence as rows, fields nobody has left out, and the postcodes of the address histories as one more. */
function rowsOf(item: MatchItem, columns: Column[]): Row[] {
  const rows = item.evidence.map((e) => {
    const values = columns.map((_, i) => fieldValue(e.field, e.values[i] ?? null));
    return { field: e.field, label: fieldLabel(e.field), values, verdict: verdictOf(values, e.same) };
  });
  const postcodes = columns.map((c) => c.candidate?.postcodes ?? []);
  if (postcodes.some((p) => p.length > 0)) {
    const shared = postcodes.reduce((a, b) => a.filter((p) => b.includes(p)));
    const values = postcodes.map((p) => p.join(', '));
    rows.push({ field: 'postcodes', label: 'Postcodes', values, verdict: verdictOf(values, shared.length > 0) });
  }
  return rows.filter((r) => r.values.some(Boolean));
}

export function MatchItemCard({ item, onDecided }: { item: MatchItem; onDecided: OnDecided }) {
  const noun = item.recordType === 'clients' ? 'client' : 'contact';
  const columns: Column[] = item.records.map((id, i) => ({
    letter: letter(i),
    id,
    candidate: item.candidates.find((c) => c.id === id) ?? null,
  }));
  const rows = rowsOf(item, columns);
  const titleId = `match-${item.id}`;
  return (
    <article className="card match-item" aria-labelledby={titleId}>
      <header className="match-head">
        <h2 id={titleId}>
          {matchKindLabel(item.kind)}
          <span className="visually-hidden">: </span>
          <span className="tag">{item.recordType === 'clients' ? 'Clients' : 'Contacts'}</span>
        </h2>
        <span className="muted">Found {formatDateTime(item.createdAt)}</span>
      </header>
      <p className="muted">{explanation(item)}</p>
      <div className="table-scroll">
        <table className="evidence">
          <caption className="visually-hidden">The records side by side, and whether each field agrees</caption>
          <thead>
            <tr>
              <td />
              {columns.map((c) => (
                <th key={c.id} scope="col" className="candidate">
                  <CandidateHead column={c} type={item.recordType} />
                </th>
              ))}
              <th scope="col" className="verdict-head">
                Agree?
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.field}>
                <th scope="row">{r.label}</th>
                {r.values.map((v, i) => (
                  <td key={columns[i]!.id} data-label={columns[i]!.letter}>
                    {v || <span className="muted">—</span>}
                  </td>
                ))}
                <td className={`verdict ${r.verdict.className}`}>{r.verdict.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {item.status === 'open' ? <Decide item={item} columns={columns} noun={noun} onDecided={onDecided} /> : <Outcome item={item} />}
    </article>
  );
}

function CandidateHead({ column, type }: { column: Column; type: MatchItem['recordType'] }) {
  const c = column.candidate;
  return (
    <>
      <span className="letter" aria-hidden="true">
        {column.letter}
      </span>
      <span className="visually-hidden">{column.letter}: </span>
      {c ? <Link href={`/${type}/${c.id}`}>{c.name}</Link> : <Link href={`/${type}/${column.id}`}>merged away</Link>}
      {c && <span className="candidate-sources">{c.sources.map((s) => `${sourceLabel(s.source)} ${s.ref}`).join(' · ')}</span>}
    </>
  );
}

function Decide({ item, columns, noun, onDecided }: { item: MatchItem; columns: Column[]; noun: string; onDecided: OnDecided }) {
  const [first, ...others] = columns;
  const named = (c: Column) => `${c.letter} (${c.candidate?.name ?? 'merged away'})`;
  const rest = others.map(named).join(' and ');
  const decide = (how: 'merged' | 'kept_apart', call: (id: string) => Promise<ChangedRecords>) => async () => {
    try {
      onDecided(item, how, await call(item.id));
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'match_decided')) throw error;
      onDecided(item, 'elsewhere', null);
    }
  };
  const moves = noun === 'client' ? 'source records, contacts and addresses' : 'source records, clients and roles, and addresses';
  return (
    <ConfirmedActions
      className="decide"
      choices={[
        {
          label: 'Merge',
          tone: 'primary',
          question: `Merge ${rest} into ${named(first!)}? ${first!.letter} is the older record and stays; the ${moves} of ${others.map((c) => c.letter).join(' and ')} move to it, the values that differ are kept as their sources’ values, and the merged-away page points to ${first!.letter}.`,
          confirm: 'Yes, merge',
          running: 'Merging…',
          run: decide('merged', api.merge),
        },
        {
          label: 'Keep apart',
          tone: 'secondary',
          question: `Keep ${columns.map(named).join(' and ')} apart for good? They stay ${columns.length} separate ${noun}s, and this pair is not offered for review again.`,
          confirm: 'Yes, keep apart',
          running: 'Saving…',
          run: decide('kept_apart', api.keepApart),
        },
      ]}
    />
  );
}

function Outcome({ item }: { item: MatchItem }) {
  const when = item.closedAt ? formatDateTime(item.closedAt) : null;
  const who = item.closedBy ? ` by ${actorLabel(item.closedBy)}` : '';
  const text =
    item.resolution === 'merged'
      ? `Merged${who}`
      : item.resolution === 'kept_apart'
        ? `Kept apart${who}`
        : 'Closed: one of its records was merged in another review';
  return (
    <p className="outcome">
      <span className={`badge ${item.resolution === 'merged' ? 'badge-ok' : 'badge-cancelled'}`}>{text}</span>
      {when && <span className="muted"> {when}</span>}
    </p>
  );
}
