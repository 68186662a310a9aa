import type { ReactNode } from 'react';
import { codeLabel } from '../format.ts';

/** A definition list of the facts that are known; absent ones are left out rather than shown empty. */
export function Facts({ items }: { items: [string, ReactNode | null | undefined][] }) {
  const known = items.filter(([, value]) => value !== null && value !== undefined && value !== '');
  return (
    <dl className="facts">
      {known.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A person's roles at a client, as tags. */
export function RoleTags({ roles }: { roles: string[] }) {
  return (
    <span className="roles">
      {roles.map((r) => (
        <span key={r} className="tag">
          {codeLabel(r)}
        </span>
      ))}
    </span>
  );
}
