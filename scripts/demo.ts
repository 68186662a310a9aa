// `npm run demo`: the whole product in one command. Starts the server (embedded PostgreSQL under data/demo) on a
// free port, generates a realistic export of ~50,000 records with planted failures, sends it with progress bars,
// prints the summary and the import's page in the web UI, and keeps the server running until Ctrl-C.
// `npm run demo -- --exit` stops the server after the summary instead (exit code 0 when the import completed).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { writeGeneratedExport } from '../packages/sender/src/cli/generate/write-export.ts';
import { runTransfer } from '../packages/sender/src/cli/run-send.ts';
import { MAX_BATCH_BYTES, removeState } from '../packages/sender/src/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.join(root, 'data/demo');
const exportDir = path.join(dataDir, 'export');
const tokenFile = path.join(dataDir, 'demo-source-token');
const signInFile = path.join(dataDir, 'demo-sign-in');
const CLIENTS = 7_400; // about 6 records each: ~50,000 records
const say = (line: string) => process.stdout.write(`${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Server {
  child: ChildProcess;
  url: string;
  firstStart: Promise<{ token: string; signIn: string | null } | null>;
}

function startServer(port: number): Server {
  const child = spawn(process.execPath, [path.join(root, 'src/main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      BRIGHTCLIENT_DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The server prints its first-start secrets on stdout: the line after "First start:" is the source token.
  const firstStart = new Promise<{ token: string; signIn: string | null } | null>((resolve) => {
    const lines = createInterface({ input: child.stdout });
    let expect: 'token' | 'sign-in' | null = null;
    let token = '';
    lines.on('line', (line) => {
      say(`  server │ ${line}`);
      if (expect === 'token') {
        token = line.trim();
        expect = 'sign-in';
      } else if (expect === 'sign-in') {
        resolve({ token, signIn: /sign in/i.test(line) ? line.trim() : null });
        expect = null;
      } else if (line.startsWith('First start:')) expect = 'token';
      else if (line.startsWith('BrightClient is running')) setTimeout(() => resolve(token ? { token, signIn: null } : null), 200);
    });
    child.on('exit', () => resolve(null));
  });
  return { child, url: `http://127.0.0.1:${port}`, firstStart };
}

async function waitHealthy(server: Server): Promise<void> {
  const deadline = Date.now() + 180_000; // the first start initialises a database cluster
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`the server exited with code ${server.child.exitCode}`);
    if (
      await fetch(`${server.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not become healthy within 3 minutes');
}

/** A source token for the demo practice: from this first start, from an earlier one, or a new practice's. */
async function sourceToken(server: Server): Promise<string> {
  const first = await server.firstStart;
  if (first?.token) {
    await fs.writeFile(tokenFile, `${first.token}\n`, { mode: 0o600 });
    if (first.signIn) await fs.writeFile(signInFile, `${first.signIn}\n`, { mode: 0o600 });
    return first.token;
  }
  if (existsSync(tokenFile)) return (await fs.readFile(tokenFile, 'utf8')).trim();
  // A database seeded without this script: make a practice and a token through the admin API.
  const adminToken = (await fs.readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
  const admin = async <T>(pathname: string, body: object): Promise<T> => {
    const res = await fetch(`${server.url}${pathname}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const practice = await admin<{ id: string }>('/admin/practices', { name: `Demo Practice (${new Date().toISOString().slice(0, 16)})` });
  const { token } = await admin<{ token: string }>(`/admin/practices/${practice.id}/tokens`, { source: 'brightmanager' });
  await fs.writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  say(`Created the practice ${practice.id} for the demo (add a user with: npx brightclient user create ${practice.id} <email>).`);
  return token;
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGINT');
  await exited;
}

async function main(): Promise<number> {
  const exitAfter = process.argv.includes('--exit');
  await fs.mkdir(dataDir, { recursive: true });
  const server = startServer(await freePort());
  const interrupt = new AbortController();
  process.on('SIGINT', () => interrupt.abort(new Error('SIGINT')));
  process.on('SIGTERM', () => interrupt.abort(new Error('SIGTERM')));
  try {
    const where = path.relative(process.cwd(), dataDir) || dataDir;
    say(
      `Starting a BrightClient server of its own for the demo at ${server.url}: its own embedded database, operator token and ` +
        `demo sign-in under ${where}, apart from the one \`npm start\` runs (whose data and password stay as they are) …`,
    );
    await waitHealthy(server);
    const token = await sourceToken(server);

    say(`\nGenerating a practice's export of ${CLIENTS.toLocaleString('en-GB')} clients into ${exportDir} …`);
    const generated = await writeGeneratedExport(exportDir, { clients: CLIENTS, seed: 2025, invalidRate: 0.02 });
    const total = Object.values(generated.counts).reduce((n, c) => n + c.received, 0);
    say(
      `${total.toLocaleString('en-GB')} records, ${generated.errorRows.toLocaleString('en-GB')} planted errors (listed in expected-errors.csv).\n`,
    );

    // Every run sends the export afresh, as a new import.
    await removeState(path.join(exportDir, '.brightclient-send.json'));
    const outcome = await runTransfer(
      exportDir,
      {
        programName: 'brightclient',
        server: server.url,
        token,
        concurrency: 2,
        gzip: false,
        batchBytes: MAX_BATCH_BYTES,
        wait: true,
        events: true,
        quiet: false,
      },
      { kind: 'send' },
      interrupt.signal,
    );
    if (outcome.view) {
      const counts = Object.values(outcome.view.counts);
      if (counts.every((c) => c.imported === 0) && counts.some((c) => c.skipped > 0)) {
        say(
          `\nAn earlier demo run imported these refs already, so they were skipped, not duplicated. Delete ${path.relative(process.cwd(), dataDir)} to start afresh.`,
        );
      }
      say(`\nOpen the import in the web UI: ${server.url}/imports/${outcome.view.id}`);
      const signIn = existsSync(signInFile) ? (await fs.readFile(signInFile, 'utf8')).trim() : null;
      if (signIn) say(`Sign in ${signIn.replace(/^and a user to sign in at \S+ with: /, 'with ')}`);
    }
    // The planted failures are the point of the demo: an import that completed is a demo that worked.
    if (exitAfter || interrupt.signal.aborted || !outcome.view) return outcome.view ? 0 : outcome.exitCode;
    say(`\nThe server keeps running at ${server.url}; Ctrl-C stops it.`);
    await new Promise((resolve) => {
      interrupt.signal.addEventListener('abort', resolve, { once: true });
      server.child.once('exit', resolve);
    });
    return 0;
  } finally {
    await stop(server);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
