// Practice users: created by an operator (admin API, CLI) or the first-start demo seed; they sign in to the web UI.
import validator from 'validator';
import type { Queryable } from '../db/pool.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { practiceExists } from '../practices/practice.sql.ts';
import { hashPassword, passwordProblem } from './password.ts';
import { insertUser, updatePassword } from './user.sql.ts';
import type { PracticeUser } from '../contract/admin.contract.ts';

/** Emails are compared case-insensitively: stored and looked up trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(db: Queryable, practiceId: string, email: string, password: string): Promise<Outcome<PracticeUser>> {
  const address = normaliseEmail(email);
  if (!validator.isEmail(address)) return fail('invalid', `'${email}' is not a valid email address.`);
  const weak = passwordProblem(password);
  if (weak) return fail('invalid', weak);
  if (!(await practiceExists(db, practiceId))) return fail('not_found', `There is no practice ${practiceId}.`);
  const created = await insertUser(db, { practiceId, email: address, passwordHash: await hashPassword(password) });
  if (!created) return fail('conflict', `A user with the email ${address} already exists.`, { code: 'user_exists' });
  return success({ id: created.id, practiceId, email: address });
}

/** An operator sets a new password for a user who lost theirs; every session of the user ends. */
export async function resetPassword(db: Queryable, email: string, password: string): Promise<Outcome<PracticeUser>> {
  const address = normaliseEmail(email);
  const weak = passwordProblem(password);
  if (weak) return fail('invalid', weak);
  const changed = await updatePassword(db, address, await hashPassword(password));
  if (!changed) return fail('not_found', `There is no user with the email ${address}.`);
  return success({ id: changed.id, practiceId: changed.practice_id, email: address });
}
