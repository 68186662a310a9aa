// Search as you type (debounced), with paging: the practice's clients (by name, reference or company number) or
// contacts (by name or email), best match first as the API ranks them (src/repository/search.sql.ts).
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { api, type ClientSummary, type ContactSummary } from '../api.ts';
import { codeLabel, formatNumber, formatPhone, plural } from '../format.ts';
import { useDebounced } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';

const PAGE_SIZE = 20;

/** What one kind of search needs: its words, its API call and how a row reads. */
interface SearchKind<T extends { id: string }> {
  noun: string;
  nouns: string;
  hint: string;
  load: (search: string, cursor: string | null, limit: number) => Promise<{ items: T[]; nextCursor: string | null }>;
  row: (item: T) => ReactNode;
}

// Says what the order is, so a user knows why a result is where it is.
const RANKING =
  'exact names and codes first, then those starting with your search, then the closest spellings (Ltd = Limited, typos allowed)';

const CLIENTS: SearchKind<ClientSummary> = {
  noun: 'client',
  nouns: 'clients',
  hint: 'Type a name, client reference or company number.',
  load: async (search, cursor, limit) => {
    const page = await api.clients(search, cursor, limit);
    return { items: page.clients, nextCursor: page.nextCursor };
  },
  row: (c) => (
    <>
      <Link href={`/clients/${c.id}`} className="client-name">
        {c.name}
      </Link>
      <span className="muted">
        {c.clientReference} · {codeLabel(c.clientType)}
        {c.companyNumber ? ` · ${c.companyNumber}` : ''}
      </span>
    </>
  ),
};

const CONTACTS: SearchKind<ContactSummary> = {
  noun: 'contact',
  nouns: 'contacts',
  hint: 'Type a name or an email address.',
  load: async (search, cursor, limit) => {
    const page = await api.contacts(search, cursor, limit);
    return { items: page.contacts, nextCursor: page.nextCursor };
  },
  row: (p) => (
    <>
      <Link href={`/contacts/${p.id}`} className="client-name">
        {[p.firstName, p.lastName].filter(Boolean).join(' ')}
      </Link>
      <span className="muted">{[p.email, p.phone && formatPhone(p.phone)].filter(Boolean).join(' · ')}</span>
    </>
  ),
};

interface Results<T> {
  search: string;
  items: T[];
  nextCursor: string | null;
}

function describe<T>(kind: { noun: string; nouns: string }, { search, items, nextCursor }: Results<T>): string {
  if (items.length === 0) return search ? `No ${kind.nouns} match “${search}”.` : `No ${kind.nouns} yet.`;
  const more = nextCursor ? ', more below' : '';
  if (!search) return `${plural(items.length, kind.noun)} shown${more}`;
  const label = kind.nouns.charAt(0).toUpperCase() + kind.nouns.slice(1);
  return `${label} matching “${search}”: ${RANKING}. ${formatNumber(items.length)} shown${more}`;
}

/**
 * `listAll`: with an empty box, list every record (the Clients and Contacts pages); otherwise results appear once
 * something is typed (the home page, where a full list would push everything else away).
 */
function RecordSearch<T extends { id: string }>({ kind, listAll }: { kind: SearchKind<T>; listAll: boolean }) {
  const { path, params } = useLocation();
  const [input, setInput] = useState(() => params.get('search') ?? '');
  const search = useDebounced(input.trim(), 250);
  const [results, setResults] = useState<Results<T> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const id = useId();

  const load = async (cursor: string | null) => {
    const ticket = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const page = await kind.load(search, cursor, PAGE_SIZE);
      if (ticket !== latest.current) return;
      setResults((prev) => ({
        search,
        items: cursor && prev ? [...prev.items, ...page.items] : page.items,
        nextCursor: page.nextCursor,
      }));
    } catch (e) {
      if (ticket === latest.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    // The search is kept in the address, so Back from a record returns to the same results.
    navigate(search ? `${path}?search=${encodeURIComponent(search)}` : path, { replace: true });
    if (search || listAll) {
      void load(null); // a new search starts over at its first page
    } else {
      latest.current++;
      setResults(null);
      setLoading(false);
    }
  }, [search, listAll]);

  const idle = !search && !listAll;
  const status = error ?? (idle ? kind.hint : results ? describe(kind, results) : 'Searching…');

  return (
    <div className="client-search">
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${id}-q`}>Search {kind.nouns}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-status`}
        />
      </form>
      <p id={`${id}-status`} className="muted search-status" role="status" aria-live="polite">
        {loading && results && !idle ? 'Searching…' : status}
      </p>
      {results && results.items.length > 0 && (
        <ul className="client-list" aria-label={kind.nouns.charAt(0).toUpperCase() + kind.nouns.slice(1)}>
          {results.items.map((item) => (
            <li key={item.id}>{kind.row(item)}</li>
          ))}
        </ul>
      )}
      {results?.nextCursor && (
        <button type="button" className="secondary" onClick={() => void load(results.nextCursor)} disabled={loading}>
          Show more {kind.nouns}
        </button>
      )}
    </div>
  );
}

export const ClientSearch = ({ listAll = false }: { listAll?: boolean }) => <RecordSearch kind={CLIENTS} listAll={listAll} />;
export const ContactSearch = ({ listAll = false }: { listAll?: boolean }) => <RecordSearch kind={CONTACTS} listAll={listAll} />;
