// Search as you type (debounced), with paging: the practice's clients by name, reference or company number.
import { useEffect, useId, useRef, useState } from 'react';
import { api, type ClientSummary } from '../api.ts';
import { codeLabel, formatNumber, plural } from '../format.ts';
import { useDebounced } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';

const PAGE_SIZE = 20;

interface Results {
  search: string;
  clients: ClientSummary[];
  nextCursor: string | null;
}

function describe({ search, clients, nextCursor }: Results): string {
  if (clients.length === 0) return search ? `No clients match “${search}”.` : 'No clients yet.';
  const more = nextCursor ? ', more below' : '';
  if (!search) return `${plural(clients.length, 'client')} shown${more}`;
  return `Clients matching “${search}”, best match first: ${formatNumber(clients.length)} shown${more}`;
}

/**
 * `listAll`: with an empty box, list every client (the Clients page); otherwise results appear once something is
 * typed (the home page, where a full list would push everything else away).
 */
export function ClientSearch({ listAll = false }: { listAll?: boolean }) {
  const { path, params } = useLocation();
  const [input, setInput] = useState(() => params.get('search') ?? '');
  const search = useDebounced(input.trim(), 250);
  const [results, setResults] = useState<Results | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const id = useId();

  const load = async (cursor: string | null) => {
    const ticket = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.clients(search, cursor, PAGE_SIZE);
      if (ticket !== latest.current) return;
      setResults((prev) => ({
        search,
        clients: cursor && prev ? [...prev.clients, ...page.clients] : page.clients,
        nextCursor: page.nextCursor,
      }));
    } catch (e) {
      if (ticket === latest.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    // The search is kept in the address, so Back from a client returns to the same results.
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
  const status = error ?? (idle ? 'Type a name, client reference or company number.' : results ? describe(results) : 'Searching…');

  return (
    <div className="client-search">
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${id}-q`}>Search clients</label>
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
      {results && results.clients.length > 0 && (
        <ul className="client-list" aria-label="Clients">
          {results.clients.map((c) => (
            <li key={c.id}>
              <Link href={`/clients/${c.id}`} className="client-name">
                {c.name}
              </Link>
              <span className="muted">
                {c.clientReference} · {codeLabel(c.clientType)}
                {c.companyNumber ? ` · ${c.companyNumber}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {results?.nextCursor && (
        <button type="button" className="secondary" onClick={() => void load(results.nextCursor)} disabled={loading}>
          Show more clients
        </button>
      )}
    </div>
  );
}
