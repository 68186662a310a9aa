// Statements on sessions. A session is found by the SHA-256 of its id; the plain id lives only in the cookie.
import type { Queryable } from '../db/pool.ts';

export interface SessionUserRow {
  user_id: string;
  practice_id: string;
  email: string;
  practice_name: string;
}

export async function insertSession(
  db: Queryable,
  session: { idHash: Buffer; userId: string; idleSeconds: number; lifetimeSeconds: number },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, expires_at)
     VALUES ($1, $2, now() + make_interval(secs => least($3::int, $4::int)))`,
    [session.idHash, session.userId, session.idleSeconds, session.lifetimeSeconds],
  );
}

/** Expired sessions of a user are dropped when they sign in again, so the table does not grow without bound. */
export async function deleteExpiredSessions(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1 AND expires_at <= now()', [userId]);
}

/**
 * The user of a live session. Use slides the idle expiry forward (never past the absolute lifetime), written at
 * most once a minute so that polling and event streams do not turn every read into a write.
 */
export async function touchSession(
  db: Queryable,
  idHash: Buffer,
  idleSeconds: number,
  lifetimeSeconds: number,
): Promise<SessionUserRow | null> {
  const { rows } = await db.query<SessionUserRow>(
    `WITH live AS (
       SELECT s.id_hash, s.user_id, u.practice_id, u.email, p.name AS practice_name
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN practices p ON p.id = u.practice_id
        WHERE s.id_hash = $1 AND s.expires_at > now()),
     touched AS (
       UPDATE sessions s
          SET last_seen_at = now(),
              expires_at = least(now() + make_interval(secs => $2::int), s.created_at + make_interval(secs => $3::int))
         FROM live WHERE s.id_hash = live.id_hash AND s.last_seen_at < now() - interval '1 minute')
     SELECT user_id, practice_id, email, practice_name FROM live`,
    [idHash, idleSeconds, lifetimeSeconds],
  );
  return rows[0] ?? null;
}

export async function deleteSession(db: Queryable, idHash: Buffer): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}
