// The operator token: BRIGHTCLIENT_ADMIN_TOKEN, or one generated on first start and kept under the data folder
// (mode 0600) so restarts keep it. It is printed only when generated.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { newAdminToken } from './tokens.ts';

export async function resolveAdminToken(configured: string | null, dataDir: string, announce: (line: string) => void): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'admin-token');
  if (existsSync(file)) return (await fs.readFile(file, 'utf8')).trim();
  await fs.mkdir(dataDir, { recursive: true });
  const token = newAdminToken();
  await fs.writeFile(file, token + '\n', { mode: 0o600 });
  announce(`Generated the operator token (kept in ${file}): ${token}`);
  return token;
}
