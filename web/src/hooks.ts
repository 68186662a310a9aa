// Data hooks: a loaded resource, an import kept live by its event stream, a ticking clock, a debounced value.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { api, type Import } from './api.ts';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
}

/** Loads `load()` whenever `key` changes; a slower answer for an older key is thrown away. */
export function useResource<T>(key: string, load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string; data: T | null; error: string | null }>({ key, data: null, error: null });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    loadRef.current().then(
      (data) => current && setState({ key, data, error: null }),
      (error: unknown) => current && setState({ key, data: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  // While a new key loads, the old key's data is not shown as if it were the new one's.
  return state.key === key ? { data: state.data, error: state.error, reload } : { data: null, error: null, reload };
}

/**
 * An import, live: the first view from GET, then every change from its Server-Sent Events stream until `done`.
 * EventSource reconnects by itself after a network blip or a server restart, so the page can stay open. A new
 * `restart` value follows it again after its stream ended (a completed import being undone).
 */
export function useLiveImport(id: string | null, restart = 0): { data: Import | null; error: string | null } {
  const [state, setState] = useState<{ id: string | null; data: Import | null; error: string | null }>({ id, data: null, error: null });
  useEffect(() => {
    if (!id) return;
    let current = true;
    let streamed = false;
    // A restart (the import moves on after its stream ended: an undo) keeps showing what is known meanwhile.
    setState((known) => (known.id === id ? known : { id, data: null, error: null }));
    api.import(id).then(
      (data) => current && !streamed && setState({ id, data, error: null }),
      (error: unknown) => current && setState({ id, data: null, error: error instanceof Error ? error.message : String(error) }),
    );
    const events = api.events(id);
    const update = (event: MessageEvent<string>) => {
      streamed = true;
      if (current) setState({ id, data: JSON.parse(event.data) as Import, error: null });
    };
    events.addEventListener('progress', update);
    events.addEventListener('done', (event: MessageEvent<string>) => {
      update(event);
      events.close();
    });
    return () => {
      current = false;
      events.close();
    };
  }, [id, restart]);
  return state.id === id ? { data: state.data, error: state.error } : { data: null, error: null };
}

/** The current time, re-read every `ms` while `active`. */
export function useNow(ms: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms, active]);
  return now;
}

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Sets the document title, and moves focus to the page's heading so screen readers announce the new page. */
export function usePageTitle(title: string): RefObject<HTMLHeadingElement | null> {
  const heading = useRef<HTMLHeadingElement | null>(null);
  useEffect(() => {
    document.title = `${title} · BrightClient`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return heading;
}
