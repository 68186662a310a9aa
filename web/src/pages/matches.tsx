// Review matches (SPEC §9): the records from different products (or one product twice) that may be one client or
// contact but were not joined automatically. Open items to decide, oldest first; the closed ones with who decided.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type ChangedRecords, type MatchItem } from '../api.ts';
import { MatchItemCard, type Decision, type OnDecided } from '../components/match-item.tsx';
import { plural } from '../format.ts';
import { usePageTitle } from '../hooks.ts';
import { Link, useLocation } from '../router.tsx';

type Status = 'open' | 'closed';

interface Listing {
  status: Status;
  items: MatchItem[];
  nextCursor: string | null;
}

/** The items of `status`, a page at a time; `reload` reads the first page again (a merge may close others). */
function useMatches(status: Status) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    api.matches(status, null).then(
      (page) => current && (setListing({ status, items: page.matches, nextCursor: page.nextCursor }), setError(null)),
      (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [status, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const more = async (cursor: string) => {
    try {
      const page = await api.matches(status, cursor);
      setListing((l) => l && { ...l, items: [...l.items, ...page.matches], nextCursor: page.nextCursor });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const shown = listing?.status === status ? listing : null;
  return {
    listing: shown,
    error,
    reload,
    more,
    drop: (id: string) => setListing((l) => l && { ...l, items: l.items.filter((i) => i.id !== id) }),
  };
}

export function MatchesPage() {
  const { params } = useLocation();
  const status: Status = params.get('status') === 'closed' ? 'closed' : 'open';
  const heading = usePageTitle('Review matches');
  const { listing, error, reload, more, drop } = useMatches(status);
  const [outcome, setOutcome] = useState<ReactNode>(null);
  const said = useRef<HTMLParagraphElement | null>(null);
  useEffect(() => {
    if (outcome) said.current?.focus();
  }, [outcome]);
  useEffect(() => setOutcome(null), [status]);

  const decided: OnDecided = (item, how, result) => {
    drop(item.id);
    setOutcome(outcomeText(item, how, result));
    reload();
  };

  return (
    <div className="page matches-page">
      <h1 ref={heading} tabIndex={-1}>
        Review matches
      </h1>
      <p className="muted intro">
        Records that may be one client or contact but were not joined automatically. Compare them side by side, then merge them into one, or
        keep them apart for good.
      </p>
      <nav className="tabs" aria-label="Review items">
        <Link href="/matches" aria-current={status === 'open' ? 'page' : undefined}>
          Open
        </Link>
        <Link href="/matches?status=closed" aria-current={status === 'closed' ? 'page' : undefined}>
          Closed
        </Link>
      </nav>
      {outcome && (
        <p className="notice done" role="status" tabIndex={-1} ref={said}>
          {outcome}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!listing && !error && <p className="muted">Loading…</p>}
      {listing && (
        <>
          <p className="list-count">{countLine(listing)}</p>
          {listing.items.map((item) => (
            <MatchItemCard key={item.id} item={item} onDecided={decided} />
          ))}
          {listing.nextCursor && (
            <button type="button" className="secondary" onClick={() => void more(listing.nextCursor!)}>
              Show more
            </button>
          )}
        </>
      )}
    </div>
  );
}

function countLine({ status, items, nextCursor }: Listing): string {
  const n = `${plural(items.length, 'item')}${nextCursor ? ' shown, more below' : ''}`;
  if (status === 'closed') return items.length === 0 ? 'Nothing decided yet.' : `${n} decided, oldest first.`;
  return items.length === 0 ? 'Nothing to review: every possible duplicate has been decided.' : `${n} to review, oldest first.`;
}

function outcomeText(item: MatchItem, how: Decision, result: ChangedRecords | null): ReactNode {
  const names = item.candidates.map((c) => c.name);
  if (how === 'elsewhere') return `Someone else decided about ${names.join(' and ')} meanwhile: the item is under Closed now.`;
  if (how === 'kept_apart') return `Kept apart: ${names.join(' and ')} stay separate ${item.recordType}.`;
  const survivor = item.recordType === 'clients' ? result?.clients[0] : result?.contacts[0];
  if (!survivor) return 'Merged.';
  const name = 'name' in survivor ? survivor.name : [survivor.title, survivor.firstName, survivor.lastName].filter(Boolean).join(' ');
  return (
    <>
      Merged into <Link href={`/${item.recordType}/${survivor.id}`}>{name}</Link>: one{' '}
      {item.recordType === 'clients' ? 'client' : 'contact'} now, with {plural(survivor.sources.length, 'source record')}.
    </>
  );
}
