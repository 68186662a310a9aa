// An address history as a timeline: current addresses first, then the older ones, newest first (the API's order).
import type { Address } from '../api.ts';
import { codeLabel, formatDate } from '../format.ts';

/** The "Address history" card of a client or a contact page. */
export function AddressHistory({ addresses }: { addresses: Address[] }) {
  return (
    <section className="card" aria-labelledby="addresses-title">
      <h2 id="addresses-title">Address history</h2>
      <AddressTimeline addresses={addresses} />
    </section>
  );
}

function AddressTimeline({ addresses }: { addresses: Address[] }) {
  if (addresses.length === 0) return <p className="muted">No addresses.</p>;
  return (
    <ol className="timeline">
      {addresses.map((a) => (
        <li key={a.id} className={a.to === null ? 'current' : undefined}>
          <p className="timeline-when">
            {formatDate(a.from)} – {a.to === null ? <strong>now</strong> : formatDate(a.to)}
            {a.kind && <span className="tag">{codeLabel(a.kind)}</span>}
          </p>
          <address>
            {[a.line1, a.line2, a.town, a.county, a.postcode, a.country === 'GB' ? null : a.country].filter(Boolean).join(', ')}
          </address>
        </li>
      ))}
    </ol>
  );
}
