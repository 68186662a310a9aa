// Every advisory lock of the application, so no two uses share a key by accident and a reader of pg_locks can
// tell them apart: the keys 7253190001… are this application's (any constants unique to it would do).
import type { Queryable } from './pool.ts';

export const ADVISORY_LOCKS = {
  /** Session lock: one migrator at a time (db/migrate.ts). */
  migrations: 7_253_190_001,
  /** Transaction lock: two servers starting on an empty database seed the demo practice once. */
  demoSeed: 7_253_190_002,
  /** Session lock per practice and source, as the seed of a hash of both: one import of a lane processed at a time. */
  importLane: 7_253_190_003,
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
 * An import lane is a practice and a source: its imports resolve refs and links against each other, so they are
 * processed one at a time, while other lanes run in parallel.
 */
export interface ImportLane {
  practiceId: string;
  source: string;
}

const laneKey = (lane: ImportLane) => `${lane.practiceId}/${lane.source}`;

/** Waits until no other session holds the lane. */
export async function lockImportLane(session: Queryable, lane: ImportLane): Promise<void> {
  await session.query('SELECT pg_advisory_lock(hashtextextended($1, $2))', [laneKey(lane), ADVISORY_LOCKS.importLane]);
}

export async function unlockImportLane(session: Queryable, lane: ImportLane): Promise<void> {
  await session.query('SELECT pg_advisory_unlock(hashtextextended($1, $2))', [laneKey(lane), ADVISORY_LOCKS.importLane]);
}
