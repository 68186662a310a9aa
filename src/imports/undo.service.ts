// Undo (SPEC §10): the preview of what it would remove and keep, and the request that starts it. An undo takes the
// import's completed retries (and theirs) with it — they brought records of the same export — and cancels a
// retry still waiting for its source. A retry can be undone on its own too (with its own retries): it takes back
// what it brought, and its refs count as still failing in the import it retried again. Who may ask: a practice
// user, or the import's own source product (SPEC §3 keeps only activation and match review to users).
import type { PgBoss } from 'pg-boss';
import type { ImportView } from '../contract/imports.contract.ts';
import type { UndoPreview, UndoRefusalCode } from '../contract/undo.contract.ts';
import { RECORD_TYPES } from '../contract/records.ts';
import type { Db, Queryable } from '../db/pool.ts';
import { asOwner, withPracticeWrite } from '../db/tenant.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import type { Principal, Scope } from '../domain/scope.ts';
import { enqueueImport, UNDO_IMPORT } from '../db/queue.ts';
import { purgeStagedRecords } from '../intake/staging-purge.sql.ts';
import { enterCancelled, enterUndoing } from './import-lifecycle.sql.ts';
import { importView } from './import-view.ts';
import { lockImportForUpdate, selectImport } from './import.sql.ts';
import { hasDependants, judgeUndo, lockImports, selectDependants, selectFamily, type FamilyMember } from './undo.sql.ts';

interface Refusal {
  code: UndoRefusalCode;
  detail: string;
}

/** Why the import (the family's first member) cannot be undone now, judged before its records are; null: it can. */
function refusalOf(id: string, family: FamilyMember[]): Refusal | null {
  const [target, ...retries] = family;
  if (!target) throw new Error(`import ${id} has no family`);
  if (target.dry_run) return { code: 'dry_run', detail: `Import ${id} is a dry run: it wrote nothing, so there is nothing to undo.` };
  if (target.status !== 'completed') {
    return {
      code: 'import_not_completed',
      detail: `Import ${id} is ${target.status}; only a completed import can be undone.`,
    };
  }
  const busy = retries.find((r) => r.status === 'processing' || r.status === 'undoing');
  if (busy) {
    return {
      code: 'import_not_completed',
      detail: `Import ${id} has a retry (${busy.id}) that is ${busy.status}; undo it once that has finished.`,
    };
  }
  return null;
}

const counted = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

function dependantsDetail(id: string, d: { contacts: number; addresses: number }): string {
  const what = [
    d.contacts > 0 && counted(d.contacts, 'contact with a role at one of its clients', 'contacts with a role at its clients'),
    d.addresses > 0 && counted(d.addresses, 'address of one of its records', 'addresses of its records'),
  ].filter(Boolean);
  return `Records of later imports depend on what import ${id} brought in (${what.join(' and ')}); undo those imports first, or keep this one.`;
}

/** What an undo of the import would remove and keep, per record type, and what would refuse it. */
export async function previewUndo(db: Queryable, scope: Scope, id: string): Promise<Outcome<UndoPreview>> {
  const row = await selectImport(db, scope, id);
  if (!row) return fail('not_found', `There is no import ${id}.`);
  const family = await selectFamily(db, row.practice_id, id);
  const together = family.filter((m) => m.id === id || m.status === 'completed').map((m) => m.id);
  const judged = await judgeUndo(db, together, row.practice_id);
  let refusal = refusalOf(id, family);
  if (!refusal && hasDependants(judged.dependants)) {
    refusal = { code: 'undo_has_dependants', detail: dependantsDetail(id, judged.dependants) };
  }
  const counts = Object.fromEntries(RECORD_TYPES.map((t) => [t, judged.counts[t] ?? { remove: 0, keep: 0 }])) as UndoPreview['counts'];
  return success({
    importId: id,
    imports: together,
    undoable: refusal === null,
    refusal,
    counts,
    removeTotal: RECORD_TYPES.reduce((n, t) => n + counts[t].remove, 0),
    dependants: judged.dependants,
    examples: judged.examples,
  });
}

/**
 * Starts the undo: the import and its completed retries become `undoing` and the undo job is enqueued, in one
 * transaction. Asked again, it answers the undoing (or undone) import. Recorded as asked by the practice user, or
 * by the source product (a token).
 */
export async function requestUndo(db: Db, boss: PgBoss, principal: Principal, id: string): Promise<Outcome<ImportView>> {
  return withPracticeWrite(db, principal.practiceId, async (tx) => {
    // FOR UPDATE: a retry start (which locks the import it retries) waits for us, or we for it.
    const target = await lockImportForUpdate(tx, principal, id);
    if (!target) return fail('not_found', `There is no import ${id}.`);
    const answer = async () => {
      const row = await selectImport(tx, principal, id);
      if (!row) throw new Error(`import ${id} vanished`);
      return success(importView(row));
    };
    if (target.status === 'undoing' || target.status === 'undone') return answer();
    const practiceId = principal.practiceId;
    // Locked, then read again: a retry started just before the lock is in the second reading.
    await lockImports(
      tx,
      (await selectFamily(tx, practiceId, id)).map((m) => m.id),
    );
    const family = await selectFamily(tx, practiceId, id);
    const refusal = refusalOf(id, family);
    if (refusal) return fail('conflict', refusal.detail, { code: refusal.code });
    const together = family.filter((m) => m.status === 'completed').map((m) => m.id);
    const dependants = await selectDependants(tx, together, practiceId);
    if (hasDependants(dependants)) return fail('conflict', dependantsDetail(id, dependants), { code: 'undo_has_dependants', dependants });
    const byUser = principal.source === null ? principal.userId : null;
    for (const waiting of family.filter((m) => m.status === 'receiving')) {
      await enterCancelled(tx, waiting.id, byUser);
      await purgeStagedRecords(tx, waiting.id);
    }
    await enterUndoing(tx, id, together, byUser);
    // pg-boss's tables are the owner's (no row security): the job is sent as the owner, in this transaction.
    await asOwner(tx, () => enqueueImport(boss, tx, id, UNDO_IMPORT));
    return answer();
  });
}
