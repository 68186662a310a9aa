// Every advisory lock of the application, so no two uses share a key by accident and a reader of pg_locks can
// tell them apart: the keys 7253190001… are this application's (any constants unique to it would do).
import type { SourceScope } from '../domain/scope.ts';
import type { Queryable } from './pool.ts';

export const ADVISORY_LOCKS = {
  /** Session lock: one migrator at a time (db/migrate.ts). */
  migrations: 7_253_190_001,
  /** Transaction lock: two servers starting on an empty database seed the demo practice once. */
  demoSeed: 7_253_190_002,
  /** Session lock per practice, as the seed of a hash of its id: one import of a practice processed at a time. */
  practiceImports: 7_253_190_003,
  /** Transaction lock per practice and source: starts of its imports take turns, so the open-import cap holds. */
  sourceImportStarts: 7_253_190_004,
  /** Transaction lock per practice: activations take turns, so concurrent ones open one import per source. */
  practiceActivation: 7_253_190_005,
} as const;

export async function lockMigrations(session: Queryable): Promise<void> {
  await session.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.migrations]);
}

export async function unlockMigrations(session: Queryable): Promise<void> {
  await session.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.migrations]);
}

export async function lockDemoSeed(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.demoSeed]);
}

/**
 * Imports of one practice are committed one at a time, whatever their source (SPEC §9): matching must see what
 * every other source committed, and the result must never depend on timing. Other practices run in parallel.
 * Taken without waiting: an import whose practice is busy gives its worker back and is queued again (jobs/workers.ts).
 * A session lock: `session` must stay checked out for as long as the import is processed.
 */
export async function tryLockPracticeImports(session: Queryable, practiceId: string): Promise<boolean> {
  const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, $2)) AS locked', [
    practiceId,
    ADVISORY_LOCKS.practiceImports,
  ]);
  return rows[0]!.locked;
}

export async function unlockPracticeImports(session: Queryable, practiceId: string): Promise<void> {
  await session.query('SELECT pg_advisory_unlock(hashtextextended($1, $2))', [practiceId, ADVISORY_LOCKS.practiceImports]);
}

/** Until the caller's transaction ends, no other start of an import of this practice and source runs. */
export async function lockSourceImportStarts(tx: Queryable, scope: SourceScope): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, $2))', [
    `${scope.practiceId}/${scope.source}`,
    ADVISORY_LOCKS.sourceImportStarts,
  ]);
}

/** Until the caller's transaction ends, no other activation of this practice runs (POST /v1/activation). */
export async function lockPracticeActivation(tx: Queryable, practiceId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, $2))', [practiceId, ADVISORY_LOCKS.practiceActivation]);
}

/**
 * Until the caller's transaction ends, no import of the practice is processed; waits (at most 5 s, then the lock
 * timeout's error 55P03) while one is. A merge takes it: processing links source records to central records it
 * does not lock, so a record must not be merged away under it. Conflicts with the session lock above.
 */
export async function waitForPracticeImports(tx: Queryable, practiceId: string): Promise<void> {
  await tx.query(`SET LOCAL lock_timeout = '5s'`);
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, $2))', [practiceId, ADVISORY_LOCKS.practiceImports]);
}
