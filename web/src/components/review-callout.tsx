// The home page's pointer to the review of matches, shown while items are open: how many, and where to decide them.
import { useEffect } from 'react';
import { api } from '../api.ts';
import { formatNumber } from '../format.ts';
import { useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

/** Counted up to this many; beyond, "more than". */
const COUNTED = 100;

export function ReviewCallout() {
  const open = useResource('open-matches', () => api.matches('open', null, COUNTED));
  // New imports open new items: the count follows them without a reload of the page.
  useEffect(() => {
    const timer = window.setInterval(open.reload, 15000);
    return () => window.clearInterval(timer);
  }, [open.reload]);
  const n = open.data?.matches.length ?? 0;
  if (n === 0) return null;
  const count = open.data?.nextCursor ? `More than ${formatNumber(n)}` : formatNumber(n);
  return (
    <section className="review-callout" aria-labelledby="review-callout-title">
      <h2 id="review-callout-title">
        <Link href="/matches">
          {count} possible {n === 1 ? 'duplicate' : 'duplicates'} to review
        </Link>
      </h2>
      <p className="muted">Records from your products that may be one client or contact: merge them, or keep them apart.</p>
    </section>
  );
}
