// Live progress for Server-Sent Events. However many listeners an import has in this process, one poller reads
// it (at most POLL_MS apart) and every listener gets each change; the poller stops with its last listener.
import type { Db } from '../db/pool.ts';
import { practiceReader } from '../db/tenant.ts';
import { selectImport } from '../imports/import.sql.ts';
import type { ImportView } from '../contract/imports.contract.ts';
import type { Scope } from '../domain/scope.ts';
import { isFinal } from '../domain/import-lifecycle.ts';
import { importView } from '../imports/import-view.ts';

const POLL_MS = 500;

export type Listener = (view: ImportView) => void;

interface Feed {
  listeners: Set<Listener>;
  last: string | null;
  lastView: ImportView | null;
  timer: NodeJS.Timeout;
}

export class ProgressHub {
  #db: Db;
  #feeds = new Map<string, Feed>();

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Subscribes to an import the caller is allowed to see (the caller checked the scope). The listener gets the
   * current view at once, then each change; it is dropped after the final (completed or cancelled) view. Returns the unsubscribe.
   */
  subscribe(scope: Scope, importId: string, listener: Listener): () => void {
    let feed = this.#feeds.get(importId);
    if (!feed) {
      const created: Feed = {
        listeners: new Set(),
        last: null,
        lastView: null,
        timer: setInterval(() => void this.#poll(scope, importId, created), POLL_MS),
      };
      feed = created;
      this.#feeds.set(importId, feed);
      void this.#poll(scope, importId, feed);
    } else if (feed.lastView) {
      listener(feed.lastView);
    }
    feed.listeners.add(listener);
    const current = feed;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.#close(importId, current);
    };
  }

  async #poll(scope: Scope, importId: string, feed: Feed): Promise<void> {
    const row = await selectImport(practiceReader(this.#db, scope.practiceId), scope, importId).catch(() => null);
    if (!row || this.#feeds.get(importId) !== feed) return;
    const view = importView(row);
    const serialised = JSON.stringify(view);
    if (serialised === feed.last) return;
    feed.last = serialised;
    feed.lastView = view;
    for (const listener of feed.listeners) listener(view);
    if (isFinal(view.status)) this.#close(importId, feed);
  }

  #close(importId: string, feed: Feed): void {
    clearInterval(feed.timer);
    if (this.#feeds.get(importId) === feed) this.#feeds.delete(importId);
  }

  close(): void {
    for (const [id, feed] of this.#feeds) this.#close(id, feed);
  }
}
