// Password hashing with node:crypto scrypt, at OWASP's recommended minimum (N = 2^17, r = 8, p = 1: 128 MiB and
// about a quarter of a second per hash on this machine, off the event loop). The parameters are stored with each
// hash, so they can be raised later without invalidating existing passwords.
//
// scrypt runs on libuv's small thread pool (4 threads), the same threads that inflate gzip batches, and each hash
// holds 128 MiB: a flood of sign-ins would stall every upload and fill memory. So one hash runs at a time, a few
// wait their turn, and a sign-in beyond that is refused at once as busy (503) instead of queued.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../contract/admin.contract.ts';

const LOG_N = 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

const HASHES_AT_ONCE = 1;
const HASHES_WAITING = 8;
let hashing = 0;
const waiting: (() => void)[] = [];

/** Runs `work` in a hashing place; null when all places and waiting spots are taken and `refuse` is set. */
async function inHashingPlace<T>(refuse: boolean, work: () => Promise<T>): Promise<T | null> {
  if (hashing >= HASHES_AT_ONCE) {
    if (refuse && waiting.length >= HASHES_WAITING) return null;
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    hashing++;
  }
  try {
    return await work();
  } finally {
    // The place passes straight to the next in line, or is given back.
    const next = waiting.shift();
    if (next) next();
    else hashing--;
  }
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a new password (operators creating users: never refused, it waits its turn). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = (await inHashingPlace(false, () => derive(password, salt, LOG_N, R, P)))!;
  return `scrypt$${LOG_N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether the password matches the stored hash; `busy` when too many hashes are running and waiting already. */
export async function verifyPassword(password: string, stored: string): Promise<boolean | 'busy'> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await inHashingPlace(true, () => derive(password, Buffer.from(parts[4]!, 'base64'), logN, r, p));
  if (key === null) return 'busy';
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash no password matches, verified against when the email is unknown so both answers take as long. */
export const UNKNOWN_USER_HASH = `scrypt$${LOG_N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  return null;
}

/** A random password for the demo user: 20 characters from an unambiguous alphabet. */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
