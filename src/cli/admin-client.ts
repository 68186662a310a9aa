// Operator commands talk to a running server's admin API, so they work the same against a local or remote server
// and never open its database themselves.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

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

export async function adminPost<T>(target: AdminTarget, pathname: string, body: unknown): Promise<T> {
  const res = await fetch(`${target.server}${pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch((error: unknown) => {
    throw new Error(
      `Cannot reach ${target.server}: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`,
    );
  });
  const answer = (await res.json().catch(() => ({}))) as T & { detail?: string };
  if (!res.ok) throw new Error(`${res.status}: ${answer.detail ?? res.statusText}`);
  return answer;
}
