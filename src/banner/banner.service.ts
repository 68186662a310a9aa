// The home page's failure banner: the practice's imports of the last BANNER_DAYS with records still failing (SPEC
// §10: what is still wrong, not what once failed), less those this user dismissed. A room of its own, not
// reports/: it keeps per-user state (banner_dismissals).
import type { Db } from '../db/pool.ts';
import type { UserScope } from '../domain/scope.ts';
import { withPractice, withPracticeWrite } from '../db/tenant.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { listImports } from '../imports/import.service.ts';
import type { Banner } from '../contract/session.contract.ts';
import { countStillFailing, insertDismissal, selectDismissed } from './banner.sql.ts';

export const BANNER_DAYS = 30;
const BANNER_LIMIT = 20;

/** A practice read, so it runs as the tenant role (row-level security, migration 0006). */
export async function failureBanner(db: Db, user: UserScope): Promise<Banner> {
  const since = new Date(Date.now() - BANNER_DAYS * 24 * 60 * 60 * 1000);
  return withPractice(db, user.practiceId, async (tx) => {
    const failed = await listImports(
      tx,
      { practiceId: user.practiceId, source: null },
      { status: 'completed', hasFailures: true, stillFailing: true, since, limit: 200 },
    );
    if (failed.length === 0) return { imports: [], stillFailing: 0 };
    const dismissed = await selectDismissed(
      tx,
      user.userId,
      failed.map((i) => i.id),
    );
    const imports = failed.filter((i) => !dismissed.has(i.id)).slice(0, BANNER_LIMIT);
    return {
      imports,
      stillFailing: await countStillFailing(
        tx,
        imports.map((i) => i.id),
      ),
    };
  });
}

export async function dismissFromBanner(db: Db, user: UserScope, importId: string): Promise<Outcome<null>> {
  const added = await withPracticeWrite(db, user.practiceId, (tx) => insertDismissal(tx, user, importId));
  return added ? success(null) : fail('not_found', `There is no import ${importId}.`);
}
