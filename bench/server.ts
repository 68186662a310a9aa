// A fresh server for a benchmark or load run: `npm start`'s command on a random port with a new operator token, on a
// fresh embedded PostgreSQL under data/<name>, or on a fresh database of DATABASE_URL's server.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');

export interface RunServer {
  url: string;
  child: ChildProcess;
  /** The server's own database, for sizes and baselines. */
  databaseUrl: string;
  embedded: boolean;
  admin<T>(pathname: string, body: unknown): Promise<T>;
  /** A practice with a source token for brightmanager. */
  practiceWithToken(name: string): Promise<{ practiceId: string; token: string }>;
  stop(): Promise<void>;
}

/** `nodeArgs`: options for the server's Node, e.g. `--cpu-prof` to profile it. */
export async function startRunServer(name: string, nodeArgs: string[] = []): Promise<RunServer> {
  const adminToken = `${name}-admin-${randomUUID()}`;
  const port = 3900 + Math.floor(Math.random() * 2000);
  const url = `http://127.0.0.1:${port}`;
  const external = process.env.DATABASE_URL;
  const database = `brightclient_${name}_${process.pid}`;
  let databaseUrl: string | undefined;
  if (external) {
    const client = new pg.Client({ connectionString: external });
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const u = new URL(external);
    u.pathname = `/${database}`;
    databaseUrl = u.toString();
  }
  const dataDir = path.join(root, 'data', name);
  await fs.rm(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [...nodeArgs, ...startCommand()], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      BRIGHTCLIENT_DATA_DIR: dataDir,
      BRIGHTCLIENT_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      // As docs/operating.md recommends: glibc's malloc returns a large freed block (a request body, a batch's COPY
      // text) to the system instead of raising its threshold and keeping it (server peak RSS while receiving
      // 1,000,000 records 562 → 462 MB).
      MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (
    let i = 0;
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i > 600 || child.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const admin = async <T>(pathname: string, body: unknown): Promise<T> => {
    const res = await fetch(`${url}${pathname}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    url,
    child,
    embedded: !external,
    databaseUrl: databaseUrl ?? embeddedUrl(dataDir),
    admin,
    practiceWithToken: async (practiceName) => {
      const practice = await admin<{ id: string }>('/admin/practices', { name: practiceName });
      const { token } = await admin<{ token: string }>(`/admin/practices/${practice.id}/tokens`, { source: 'brightmanager' });
      return { practiceId: practice.id, token };
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (!external) return;
      const client = new pg.Client({ connectionString: external });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * The Node options and entry of `npm start` (package.json's "start"), so that a run measures the server as the
 * product starts it (its young generation's size, docs/operating.md), not as this file would.
 */
function startCommand(): string[] {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [node, ...args] = start.split(' ');
  if (node !== 'node') throw new Error(`package.json's start script is not a node command: ${start}`);
  return args;
}

/** The embedded PostgreSQL's address, from the password and the port in its data folder. */
function embeddedUrl(dataDir: string): string {
  const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
  const port = readFileSync(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[3];
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/brightclient`;
}
