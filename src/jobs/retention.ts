// Staged raw data is kept for `retentionDays` after an import completes (support and audits), then deleted.
// Error rows are kept: the error file stays available for as long as its import is listed. A background sweep
// across practices, so it runs as the owner.
import { withTransaction, type Db } from '../db/pool.ts';
import { purgeStagedRecords } from '../intake/staging-purge.sql.ts';
import { purgeableImports } from './retention.sql.ts';

export async function purgeExpiredStagedRecords(db: Db, retentionDays: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const ids = await purgeableImports(db, retentionDays, 20);
    for (const id of ids) await withTransaction(db, (tx) => purgeStagedRecords(tx, id));
    purged += ids.length;
    if (ids.length < 20) return purged;
  }
}
