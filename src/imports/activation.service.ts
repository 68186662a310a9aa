// Activation (SPEC §10): a practice user activates BrightClient and every connected source product that has not
// migrated yet gets an import of kind `activation`, receiving, for its agent to fulfil with the whole export
// (`brightclient agent` finds it with GET /v1/imports?status=receiving, like a retry pressed in the web UI).
// Activating again answers the same imports; a source whose activation import was cancelled, expired or undone
// gets a new one. Activations of one practice take turns under a lock, so concurrent ones open one per source.
import type { Activation, ActivationSource, ActivationState } from '../contract/activation.contract.ts';
import type { ImportView } from '../contract/imports.contract.ts';
import { lockPracticeActivation } from '../db/advisory-locks.sql.ts';
import type { Queryable, Tx } from '../db/pool.ts';
import type { UserScope } from '../domain/scope.ts';
import { importView } from './import-view.ts';
import { insertImport, selectImportsByIds } from './import.sql.ts';
import { selectActivationSources, selectFirstActivation, type ActivationSourceRow } from './activation.sql.ts';

interface Standing {
  state: Exclude<ActivationState, 'waiting' | 'receiving'> | 'open';
  importId: string | null;
}

/**
 * An activation import that is live decides; else an import of the source that completed and wrote data (one the
 * source sent on its own before activation counts: it has migrated); else an activation import that ended without
 * data left (cancelled, expired, undone); else nothing was started.
 */
function standingOf(row: ActivationSourceRow): Standing {
  const importId = row.activation_id;
  switch (row.activation_status) {
    case 'receiving':
      return { state: 'open', importId };
    case 'processing':
    case 'undoing':
      return { state: 'processing', importId };
    case 'completed':
      return { state: 'completed', importId };
    case 'cancelled':
    case 'undone':
    case null:
      if (row.completed_id !== null) return { state: 'completed', importId: row.completed_id };
      return importId === null ? { state: 'not_started', importId: null } : { state: 'cancelled', importId };
  }
}

/** A receiving import is `waiting` for its product until the first batch arrives. */
function stateOf(standing: Standing, view: ImportView | null): ActivationState {
  if (standing.state !== 'open') return standing.state;
  return view && view.batches.received > 0 ? 'receiving' : 'waiting';
}

export async function getActivation(db: Queryable, practiceId: string): Promise<Activation> {
  const rows = await selectActivationSources(db, practiceId);
  const standings = rows.map(standingOf);
  const ids = standings.flatMap((s) => (s.importId === null ? [] : [s.importId]));
  const views = new Map((await selectImportsByIds(db, { practiceId, source: null }, ids)).map((row) => [row.id, importView(row)]));
  const sources: ActivationSource[] = rows.map((row, i) => {
    const view = views.get(standings[i]!.importId ?? '') ?? null;
    return { source: row.source, state: stateOf(standings[i]!, view), import: view };
  });
  const first = await selectFirstActivation(db, practiceId);
  return {
    sources,
    activatedAt: first?.created_at.toISOString() ?? null,
    activatedBy: first?.started_by_email ? { kind: 'user', email: first.started_by_email } : null,
    completed: sources.length > 0 && sources.every((s) => s.state === 'completed'),
  };
}

/**
 * Opens an activation import, started by `scope`'s user, for every connected source that has neither a live
 * activation import nor a completed import; answers every source's standing afterwards. `tx`: a practice write
 * (withPracticeWrite).
 */
export async function activate(tx: Tx, scope: UserScope): Promise<Activation> {
  await lockPracticeActivation(tx, scope.practiceId);
  const rows = await selectActivationSources(tx, scope.practiceId);
  const toOpen = rows.filter((row) => row.connected && ['not_started', 'cancelled'].includes(standingOf(row).state));
  // One statement per source: a practice has a handful of products, never records' worth.
  for (const row of toOpen) {
    await insertImport(
      tx,
      { practiceId: scope.practiceId, source: row.source },
      { kind: 'activation', retryOf: null, requested: null, dryRun: false, idempotencyKey: null, startedByUser: scope.userId },
    );
  }
  return getActivation(tx, scope.practiceId);
}
