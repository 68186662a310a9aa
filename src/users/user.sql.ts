// Statements on users and sign-in throttling.
import type { Queryable } from '../db/pool.ts';

export interface UserRow {
  id: string;
  practice_id: string;
  /** Lower-cased; unique across practices (it is the sign-in name). */
  email: string;
  password_hash: string;
}

/** Inserts a user; null when the email is already taken. */
export async function insertUser(
  db: Queryable,
  user: { practiceId: string; email: string; passwordHash: string },
): Promise<{ id: string } | null> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO users (practice_id, email, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id',
    [user.practiceId, user.email, user.passwordHash],
  );
  return rows[0] ?? null;
}

export async function selectUserByEmail(db: Queryable, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>('SELECT id, practice_id, email, password_hash FROM users WHERE email = $1', [email]);
  return rows[0] ?? null;
}

/**
 * Counts one sign-in attempt of this email and returns the attempts in the current window (the window restarts
 * when it has passed) and the seconds until it ends. One statement, so concurrent attempts all count.
 */
export async function countSignInAttempt(
  db: Queryable,
  email: string,
  windowSeconds: number,
): Promise<{ attempts: number; retryAfterSeconds: number }> {
  const { rows } = await db.query<{ attempts: number; retry_after: number }>(
    `INSERT INTO sign_in_attempts AS a (email, attempts, window_start) VALUES ($1, 1, now())
     ON CONFLICT (email) DO UPDATE SET
       attempts = CASE WHEN a.window_start > now() - make_interval(secs => $2::int) THEN a.attempts + 1 ELSE 1 END,
       window_start = CASE WHEN a.window_start > now() - make_interval(secs => $2::int) THEN a.window_start ELSE now() END
     RETURNING attempts, ceil(extract(epoch FROM window_start + make_interval(secs => $2::int) - now()))::int AS retry_after`,
    [email, windowSeconds],
  );
  const row = rows[0]!;
  return { attempts: row.attempts, retryAfterSeconds: Math.max(1, row.retry_after) };
}

export async function clearSignInAttempts(db: Queryable, email: string): Promise<void> {
  await db.query('DELETE FROM sign_in_attempts WHERE email = $1', [email]);
}

/**
 * Sets a user's password and ends every session of theirs in one statement (whoever knew the old password is
 * signed out); null when no user has that email.
 */
export async function updatePassword(
  db: Queryable,
  email: string,
  passwordHash: string,
): Promise<{ id: string; practice_id: string } | null> {
  const { rows } = await db.query<{ id: string; practice_id: string }>(
    `WITH changed AS (UPDATE users SET password_hash = $2 WHERE email = $1 RETURNING id, practice_id),
          signed_out AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM changed))
     SELECT id, practice_id FROM changed`,
    [email, passwordHash],
  );
  return rows[0] ?? null;
}
