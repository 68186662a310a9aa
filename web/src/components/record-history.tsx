// What practice users did to a central record (SPEC §9): merges, keep-aparts and splits, who and when; and the page
// of a record merged away, which points to the one it became part of.
import type { ReactNode } from 'react';
import { ApiError, type RecordAction, type SourceRef } from '../api.ts';
import { actorLabel, formatDateTime, sourceLabel } from '../format.ts';
import { Link } from '../router.tsx';

export type Central<T> = { kind: 'found'; record: T } | { kind: 'merged'; into: T };

/** Loads a client or contact; one merged away loads the record it was merged into instead (a 404 naming it). */
export async function loadCentral<T>(load: (id: string) => Promise<T>, id: string): Promise<Central<T>> {
  try {
    return { kind: 'found', record: await load(id) };
  } catch (error) {
    if (error instanceof ApiError && error.code === 'record_merged' && error.mergedInto)
      return { kind: 'merged', into: await load(error.mergedInto) };
    throw error;
  }
}

/** The body of a merged-away record's page; its heading says "This client was merged into …". */
export function MergedAway({ href, name, noun }: { href: string; name: string; noun: 'client' | 'contact' }) {
  return (
    <section className="card merged-away">
      <p>
        A practice user merged this {noun} with another from the review of matches: its source records and its history are now part of{' '}
        {name}.
      </p>
      <Link href={href} className="button">
        Go to {name}
      </Link>
    </section>
  );
}

export function RecordHistory({ actions, sources, type }: { actions: RecordAction[]; sources: SourceRef[]; type: 'clients' | 'contacts' }) {
  if (actions.length === 0) return null;
  const noun = type === 'clients' ? 'client' : 'contact';
  const other = (a: RecordAction, words: string): ReactNode => (a.other ? <Link href={`/${type}/${a.other}`}>{words}</Link> : words);
  const said = (a: RecordAction): ReactNode => {
    const who = actorLabel(a.by);
    const what = a.source && a.ref ? `${sourceLabel(a.source)} ${a.ref}` : 'a source record';
    switch (a.action) {
      case 'merge':
        return (
          <>
            {who} merged {other(a, `another ${noun}`)} into this one
          </>
        );
      case 'keep_apart':
        return (
          <>
            {who} kept this {noun} apart from {other(a, `another ${noun}`)}
          </>
        );
      case 'split':
        // The record split off holds the source link; the one it left does not any more.
        return sources.some((s) => s.source === a.source && s.ref === a.ref) ? (
          <>
            {who} split {what} off {other(a, `another ${noun}`)} into this one
          </>
        ) : (
          <>
            {who} split {what} off into {other(a, `a ${noun} of its own`)}
          </>
        );
    }
  };
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol className="history">
        {actions.map((a, i) => (
          <li key={`${a.at}:${i}`}>
            <span>{said(a)}</span>
            <span className="muted">{formatDateTime(a.at)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
