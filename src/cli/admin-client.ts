// Operator commands talk to a running server's admin API, so they work the same against a local or remote server
// and never open its database themselves.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';

export interface AdminTarget {
  server: string;
  adminToken: string;
}

export function resolveAdminTarget(options: { server?: string; adminToken?: string }): AdminTarget {
  const server = options.server ?? process.env.BRIGHTCLIENT_URL ?? 'http://127.0.0.1:3000';
  const file = path.resolve(process.env.BRIGHTCLIENT_DATA_DIR ?? 'data', 'admin-token');
  const adminToken =
    options.adminToken ?? process.env.BRIGHTCLIENT_ADMIN_TOKEN ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  if (!adminToken)
    throw new Error(`No operator token: pass --admin-token, set BRIGHTCLIENT_ADMIN_TOKEN, or run from the server's folder (${file}).`);
  return { server: server.replace(/\/+$/, ''), adminToken };
}

/** One admin API call; a refusal becomes an Error with the status and the server's reason. */
export async function adminRequest<T>(target: AdminTarget, method: 'GET' | 'POST', pathname: string, body?: unknown): Promise<T> {
  const res = await fetch(`${target.server}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${target.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((error: unknown) => {
    throw new Error(
      `Cannot reach ${target.server}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`,
    );
  });
  const answer = (await res.json().catch(() => ({}))) as T & { detail?: string };
  if (!res.ok) throw new Error(`${res.status}: ${answer.detail ?? res.statusText}`);
  return answer;
}

export const adminPost = <T>(target: AdminTarget, pathname: string, body: unknown) => adminRequest<T>(target, 'POST', pathname, body);
export const adminGet = <T>(target: AdminTarget, pathname: string) => adminRequest<T>(target, 'GET', pathname);

export interface AdminOptions {
  server?: string;
  adminToken?: string;
}

export const withAdminOptions = (command: Command) =>
  command
    .option('--server <url>', 'the BrightClient server (default $BRIGHTCLIENT_URL or http://127.0.0.1:3000)')
    .option('--admin-token <token>', 'operator token (default $BRIGHTCLIENT_ADMIN_TOKEN or data/admin-token)');

/** Rows as aligned columns, the first row the header; one line each. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** A date-time of the API as `2026-12-01 21:58` (UTC). */
export const shortTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
