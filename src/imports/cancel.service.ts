// Cancel and expiry (SPEC §10): a receiving import that a source gave up, or a retry nobody will fulfil, is
// cancelled on request; one that took no batch for BRIGHTCLIENT_RECEIVING_TTL_HOURS expires. Either way its staged
// records are dropped in the same transaction and nothing is committed; its counts of what was received, its
// batches and its intake error rows stay, so the page still tells what had arrived. Nothing stays receiving for ever.
import type { ImportView } from '../contract/imports.contract.ts';
import { withTransaction, type Db } from '../db/pool.ts';
import { withPracticeWrite } from '../db/tenant.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { purgeStagedRecords } from '../intake/staging-purge.sql.ts';
import { enterCancelled, expireIdleImports } from './import-lifecycle.sql.ts';
import { importView } from './import-view.ts';
import type { Principal } from '../domain/scope.ts';
import { lockImportForUpdate, selectImport } from './import.sql.ts';

/** Who asks: a source product for its own source's imports, or a practice user (recorded as the one who cancelled). */
export async function cancelImport(db: Db, scope: Principal, id: string): Promise<Outcome<ImportView>> {
  return withPracticeWrite(db, scope.practiceId, async (tx) => {
    // FOR UPDATE: a batch being written (FOR SHARE) or a `complete` (FOR UPDATE) finishes first, or waits for us.
    const target = await lockImportForUpdate(tx, scope, id);
    if (!target) return fail('not_found', `There is no import ${id}.`);
    if (target.status !== 'receiving') {
      return fail('conflict', `Import ${id} is ${target.status}; only an import that is still receiving can be cancelled.`, {
        code: 'import_not_receiving',
      });
    }
    await enterCancelled(tx, id, scope.source === null ? scope.userId : null);
    await purgeStagedRecords(tx, id);
    const row = await selectImport(tx, scope, id);
    if (!row) throw new Error(`import ${id} vanished`);
    return success(importView(row));
  });
}

/**
 * Expires the idle receiving imports, each with its staged records dropped; answers how many. A background sweep
 * across every practice (jobs/workers.ts), so it runs as the owner, not in a practice transaction.
 */
export async function expireIdleReceiving(db: Db, ttlHours: number): Promise<number> {
  return withTransaction(db, async (tx) => {
    const ids = await expireIdleImports(tx, ttlHours);
    for (const id of ids) await purgeStagedRecords(tx, id);
    return ids.length;
  });
}
