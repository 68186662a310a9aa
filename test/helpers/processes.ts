// Real processes for tests that need them: the server (`node src/main.ts`) and `brightclient worker`, on a test
// database, with helpers to wait for health and to kill.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { fetchedJson } from './json.ts';

const root = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

const baseEnv = (databaseUrl: string, extra: Record<string, string>) => ({
  ...process.env,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'error',
  BRIGHTCLIENT_HEARTBEAT_SECONDS: '1',
  BRIGHTCLIENT_ADMIN_TOKEN: 'process-test-admin-token-0123456789',
  ...extra,
});

const STARTUP_DEADLINE_MS = 120_000;

export async function startServer(databaseUrl: string, port: number, extra: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'src/main.ts')], {
    env: baseEnv(databaseUrl, { PORT: String(port), ...extra }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // How long a start may take is no behaviour under test: on a machine shared by many, loading the TypeScript,
  // pg-boss and the intake threads took 30 s (so a 10 s bound failed the crash tests under load, not the server).
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await kill(child); // a server still starting would keep the test process alive
  throw new Error('server did not start');
}

export function startWorker(databaseUrl: string, extra: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [path.join(root, 'bin/brightclient.js'), 'worker'], {
    env: baseEnv(databaseUrl, extra),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** A tiny client for the source API of a listening server. */
export function httpSource(port: number, token: string) {
  const call = async <T>(method: string, url: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await fetchedJson<T>(res) };
  };
  return {
    call,
    /** Starts an import, sends the batches in order and completes it; returns the import id. */
    send: async (batches: object[]): Promise<string> => {
      const { id } = (await call<ImportView>('POST', '/v1/imports', {})).body;
      for (let n = 1; n <= batches.length; n++) {
        const res = await call('PUT', `/v1/imports/${id}/batches/${n}`, batches[n - 1]);
        if (res.status !== 202) throw new Error(`batch ${n}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const done = await call('POST', `/v1/imports/${id}/complete`, { batchCount: batches.length });
      if (done.status !== 202) throw new Error(`complete: ${done.status}`);
      return id;
    },
  };
}
