// For the sender's tests: the server listening on loopback, the CLI as a child process, the server's error file
// compared with the generator's expected-errors.csv, and a proxy that misbehaves on purpose.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const root = path.resolve(import.meta.dirname, '../..');

export interface ListeningApp extends TestApp {
  url: string;
}

export async function startListeningApp(): Promise<ListeningApp> {
  const t = await startTestApp({ workers: 2 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...t, url: `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}` };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// A test that fails or times out must not leave a CLI running behind it.
const running = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Runs `brightclient …`; `onStarted` gets the child to signal. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  onStarted?: (child: ReturnType<typeof spawn>) => void,
): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(root, 'src/cli/main.ts'), ...args], {
    env: { ...process.env, BRIGHTCLIENT_URL: '', BRIGHTCLIENT_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  running.add(child);
  onStarted?.(child);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

type ErrorRow = Record<string, string>;
const key = (r: ErrorRow) =>
  [r['record_type'], r['record_ref'], r['record_name'] ?? '', r['client_reference'] ?? '', r['field'], r['code']].join(' | ');
// The error file neutralises cells a spreadsheet would run as formulas with a leading apostrophe.
const unneutralise = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

/** The rows of the server's error file and of expected-errors.csv, as sorted comparable lines. */
export async function errorRowsOf(errorFile: string, expectedFile: string): Promise<{ actual: string[]; expected: string[] }> {
  const actual = parse<ErrorRow>(await fs.readFile(errorFile), { columns: true, bom: true }).map((r) =>
    key({ ...r, record_name: unneutralise(r['record_name'] ?? '') }),
  );
  const expected = parse<ErrorRow>(await fs.readFile(expectedFile), { columns: true }).map(key);
  return { actual: actual.sort(), expected: expected.sort() };
}

export async function expectedCounts(dir: string): Promise<Record<string, [number, number, number]>> {
  const summary = JSON.parse(await fs.readFile(path.join(dir, 'expected-summary.json'), 'utf8')) as {
    counts: Record<string, { received: number; imported: number; failed: number }>;
  };
  return Object.fromEntries(Object.entries(summary.counts).map(([t, c]) => [t, [c.received, c.imported, c.failed]]));
}

export const countsOf = (view: { counts: Record<string, { received: number; imported: number; failed: number; skipped: number }> }) =>
  Object.fromEntries(Object.entries(view.counts).map(([t, c]) => [t, [c.received, c.imported, c.failed]]));

/** What the proxy does with one request: pass it on, or a fault. */
export type Fault = 'pass' | 'drop-mid-upload' | 'drop-after-stored' | '503' | '429' | '502-html';

export interface Proxy {
  url: string;
  /** Every request seen: method, path, and the fault applied. */
  log: { method: string; path: string; fault: Fault }[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on loopback in front of `target`. `decide` picks each request's fault; `delayMs` holds every
 * answer back (to make an upload slow enough to interrupt).
 */
export async function startProxy(target: string, decide: (method: string, path: string) => Fault, delayMs = 0): Promise<Proxy> {
  const upstream = new URL(target);
  const log: Proxy['log'] = [];
  const server = http.createServer((req, res) => {
    const fault = decide(req.method!, req.url!);
    log.push({ method: req.method!, path: req.url!, fault });
    if (fault === 'drop-mid-upload') {
      req.once('data', () => req.socket.destroy());
      req.once('end', () => req.socket.destroy());
      return;
    }
    if (fault === '503' || fault === '429' || fault === '502-html') {
      req.resume();
      req.on('end', () => {
        if (fault === '502-html') {
          res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
          return;
        }
        // 503 with delta-seconds, 429 with an HTTP date: both must be honoured.
        const retryAfter = fault === '503' ? '1' : new Date(Date.now() + 2000).toUTCString();
        res
          .writeHead(Number(fault), { 'content-type': 'application/problem+json', 'retry-after': retryAfter })
          .end(JSON.stringify({ status: Number(fault), detail: 'busy' }));
      });
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (fault === 'drop-after-stored') {
          // The server has done the work; its answer never reaches the sender.
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        setTimeout(() => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        }, delayMs);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
