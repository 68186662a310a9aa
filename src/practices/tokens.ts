// Secrets handed out once: source tokens (`bcs_<id>_<secret>`) and the operator token. Only a SHA-256 of a
// token's secret is stored; the id finds the row, the secret is compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_PATTERN = /^bcs_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

export function newSourceToken(): { id: string; token: string; secretHash: Buffer } {
  const idHex = randomBytes(16).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const id = `${idHex.slice(0, 8)}-${idHex.slice(8, 12)}-${idHex.slice(12, 16)}-${idHex.slice(16, 20)}-${idHex.slice(20)}`;
  return { id, token: `bcs_${idHex}_${secret}`, secretHash: sha256(secret) };
}

/** Splits a presented token into the row id to look up and the secret to check; null when malformed. */
export function parseSourceToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const hex = match[1]!;
  return { id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`, secret: match[2]! };
}

/** Constant-time comparison of a presented secret with a stored hash (or another secret's hash). */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = sha256(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}

export function newAdminToken(): string {
  return `bca_${randomBytes(32).toString('base64url')}`;
}
