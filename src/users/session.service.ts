// Signing in and out, and recognising a session. A session id is 256 random bits, handed to the browser once (in
// the cookie) and stored only as its SHA-256. The CSRF token is derived from the session id, so it needs no storage
// and dies with the session; the UI gets it from the sign-in answer (or GET /v1/session) and echoes it in a header.
// Pre-tenant, as the owner: signing in looks a user up by email and a session is found by its id, both before any
// practice is known; sessions and sign_in_attempts are credentials, not a practice's data (no practice_id, no row
// security). Each statement here reads or writes only the rows of the one email or session id presented.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/pool.ts';
import { withTransaction } from '../db/pool.ts';
import type { UserScope } from '../domain/scope.ts';
import { verifyPassword, UNKNOWN_USER_HASH } from './password.ts';
import { deleteExpiredSessions, deleteSession, insertSession, touchSession } from './session.sql.ts';
import { normaliseEmail } from './user.service.ts';
import { clearSignInAttempts, countSignInAttempt, selectUserByEmail } from './user.sql.ts';

/** A session ends after this long unused … */
export const SESSION_IDLE_SECONDS = 12 * 60 * 60;
/** … and at the latest this long after sign-in. */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 60 * 60;
/** Sign-in attempts per email in SIGN_IN_WINDOW_SECONDS before further ones are refused (429). */
export const SIGN_IN_MAX_ATTEMPTS = 5;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export interface SessionUser extends UserScope {
  practiceName: string;
  email: string;
}

export type SignInResult =
  | { kind: 'signed_in'; user: SessionUser; sessionId: string }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'busy' }; // too many sign-ins are being checked at once

const idHash = (sessionId: string): Buffer => createHash('sha256').update(sessionId).digest();

export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`csrf:${sessionId}`).digest('base64url');
}

export function csrfTokenMatches(sessionId: string, presented: string): boolean {
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function signIn(db: Db, email: string, password: string): Promise<SignInResult> {
  const address = normaliseEmail(email);
  // Counted before the (slow) password check, so a burst of parallel guesses is cut off at the limit too.
  const attempt = await countSignInAttempt(db, address, SIGN_IN_WINDOW_SECONDS);
  if (attempt.attempts > SIGN_IN_MAX_ATTEMPTS) return { kind: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  const user = await selectUserByEmail(db, address);
  // An unknown email costs a hash too, so the answer's timing does not tell which emails have accounts.
  const matches = await verifyPassword(password, user?.password_hash ?? UNKNOWN_USER_HASH);
  if (matches === 'busy') return { kind: 'busy' };
  if (!user || !matches) return { kind: 'invalid' };
  const sessionId = randomBytes(32).toString('base64url');
  await withTransaction(db, async (tx) => {
    await clearSignInAttempts(tx, address);
    await deleteExpiredSessions(tx, user.id);
    await insertSession(tx, {
      idHash: idHash(sessionId),
      userId: user.id,
      idleSeconds: SESSION_IDLE_SECONDS,
      lifetimeSeconds: SESSION_LIFETIME_SECONDS,
    });
  });
  const found = await findSession(db, sessionId);
  if (!found) throw new Error('a session just created was not found');
  return { kind: 'signed_in', user: found, sessionId };
}

export async function findSession(db: Db, sessionId: string): Promise<SessionUser | null> {
  const row = await touchSession(db, idHash(sessionId), SESSION_IDLE_SECONDS, SESSION_LIFETIME_SECONDS);
  return row ? { userId: row.user_id, practiceId: row.practice_id, practiceName: row.practice_name, email: row.email } : null;
}

export async function signOut(db: Db, sessionId: string): Promise<void> {
  await deleteSession(db, idHash(sessionId));
}
