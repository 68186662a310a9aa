// `npm run demo`: the seed's flow in one command (SPEC §10). Starts the server (embedded PostgreSQL under data/demo)
// on a free port; sets up a fresh practice with two products, BrightManager and BrightBooks, each with a source
// token, and a user; generates each product's export (BrightBooks' overlapping BrightManager's, as the same
// practice's clients held by two products); the user activates BrightClient through the API; each product's agent
// finds its activation import and sends its whole export; the per-product summary and the open review items are
// printed, and the server keeps running (with the web UI) until Ctrl-C. `npm run demo -- --exit` stops it after
// the summary instead (exit code 0 when every product completed).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runAgent } from '../packages/sender/src/cli/agent.command.ts';
import { writeSecondSource } from '../packages/sender/src/cli/generate/second-source.ts';
import { writeGeneratedExport } from '../packages/sender/src/cli/generate/write-export.ts';
import { MAX_BATCH_BYTES } from '../packages/sender/src/index.ts';
import type { Activation, ActivationSource } from '../src/contract/activation.contract.ts';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.join(root, 'data/demo');
const PRODUCTS = ['brightmanager', 'brightbooks'] as const;
const CLIENTS = 1_500; // about 6 records each: ~9,000 records for BrightManager, and BrightBooks' overlapping export
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
  createInterface({ input: child.stdout }).on('line', (line) => say(`  server │ ${line}`));
  return { child, url: `http://127.0.0.1:${port}` };
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

/** The operator token: from the environment, or the one the server generated under its data folder. */
async function adminToken(): Promise<string> {
  return process.env.BRIGHTCLIENT_ADMIN_TOKEN || (await fs.readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
}

async function call<T>(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: object },
): Promise<{ body: T; res: Response }> {
  const res = await fetch(url, {
    method: init.method,
    headers: { ...init.headers, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${init.method} ${new URL(url).pathname}: ${res.status} ${await res.text()}`);
  return { body: (await res.json()) as T, res };
}

interface DemoPractice {
  id: string;
  name: string;
  tokens: Record<(typeof PRODUCTS)[number], string>;
  email: string;
  password: string;
}

/** A fresh practice with a token for each product and a user, as an operator sets one up (the admin API). */
async function createDemoPractice(server: Server): Promise<DemoPractice> {
  const headers = { authorization: `Bearer ${await adminToken()}` };
  const admin = async <T>(pathname: string, body: object) =>
    (await call<T>(`${server.url}${pathname}`, { method: 'POST', headers, body })).body;
  const stamp = new Date().toISOString().slice(0, 19);
  const practice = await admin<{ id: string; name: string }>('/admin/practices', {
    name: `Demo Practice (activation ${stamp.replace('T', ' ')})`,
  });
  const tokens = {} as DemoPractice['tokens'];
  for (const product of PRODUCTS) {
    tokens[product] = (await admin<{ token: string }>(`/admin/practices/${practice.id}/tokens`, { source: product })).token;
  }
  const email = `demo-${stamp.replace(/\D/g, '')}@brightclient.example`;
  const password = randomBytes(12).toString('base64url');
  await admin(`/admin/practices/${practice.id}/users`, { email, password });
  return { id: practice.id, name: practice.name, tokens, email, password };
}

/** The demo user's session: GET and POST /v1/… with its cookie (and CSRF header), as the web UI makes them. */
async function signIn(server: Server, email: string, password: string) {
  const { body, res } = await call<{ csrfToken: string }>(`${server.url}/v1/session`, {
    method: 'POST',
    headers: {},
    body: { email, password },
  });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('bc_session='))!
    .split(';')[0]!;
  const headers = { cookie, 'x-csrf-token': body.csrfToken };
  return {
    get: async <T>(pathname: string) => (await call<T>(`${server.url}${pathname}`, { method: 'GET', headers })).body,
    post: async <T>(pathname: string) => (await call<T>(`${server.url}${pathname}`, { method: 'POST', headers, body: {} })).body,
  };
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGINT');
  await exited;
}

const STATE_WORDS: Record<ActivationSource['state'], string> = {
  not_started: 'not started',
  waiting: 'waiting for the product',
  receiving: 'receiving',
  processing: 'processing',
  completed: 'completed',
  cancelled: 'cancelled',
};

const n = (v: number) => v.toLocaleString('en-GB');

function summary(activation: Activation, openReviews: number): string {
  const rows = activation.sources.map((line) => {
    const counts = line.import ? Object.values(line.import.counts) : [];
    const sum = (key: 'received' | 'imported' | 'matched' | 'failed') => counts.reduce((total, c) => total + c[key], 0);
    return [
      line.source,
      STATE_WORDS[line.state],
      sum('received'),
      sum('imported'),
      sum('matched'),
      sum('failed'),
      line.import?.stillFailing ?? 0,
    ];
  });
  const head = ['product', 'state', 'received', 'imported', 'matched', 'failed', 'still failing'];
  const cells = [head, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? n(v) : v)))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const table = cells
    .map((r) => r.map((v, i) => (i < 2 ? String(v).padEnd(widths[i]!) : String(v).padStart(widths[i]!))).join('  '))
    .join('\n');
  return `${table}\n\nReview items open (possible matches between the products to decide): ${n(openReviews)}`;
}

async function main(): Promise<number> {
  const exitAfter = process.argv.includes('--exit');
  await fs.mkdir(dataDir, { recursive: true });
  const server = startServer(await freePort());
  const interrupt = new AbortController();
  process.on('SIGINT', () => interrupt.abort(new Error('SIGINT')));
  process.on('SIGTERM', () => interrupt.abort(new Error('SIGTERM')));
  const started = performance.now();
  try {
    const where = path.relative(process.cwd(), dataDir) || dataDir;
    say(
      `Starting a BrightClient server of its own for the demo at ${server.url}: its own embedded database, operator token and ` +
        `demo sign-in under ${where}, apart from the one \`npm start\` runs (whose data and password stay as they are) …`,
    );
    await waitHealthy(server);
    const practice = await createDemoPractice(server);
    say(`\nA fresh practice, “${practice.name}”, with a source token for BrightManager and one for BrightBooks, and a user.`);

    // Each product's own export: BrightManager's with planted failures, BrightBooks' holding 60 % of the same
    // clients and people again under its own refs, spelt as another product would (the generator's second-source mode).
    const dirs = { brightmanager: path.join(dataDir, 'brightmanager'), brightbooks: path.join(dataDir, 'brightbooks') };
    for (const dir of Object.values(dirs)) await fs.rm(dir, { recursive: true, force: true });
    const first = await writeGeneratedExport(dirs.brightmanager, { clients: CLIENTS, seed: 2025, invalidRate: 0.02 });
    const second = await writeSecondSource(dirs.brightbooks, { overlapWith: dirs.brightmanager, overlap: 0.6, seed: 2026, prefix: 'B-' });
    const records = Object.values(first.counts).reduce((total, c) => total + c.received, 0);
    say(
      `BrightManager's export: ${n(records)} records (${n(first.errorRows)} planted errors). BrightBooks' export: ` +
        `${n(second.counts.clients)} clients, ${n(second.counts.contacts)} contacts, ${n(second.counts.addresses)} addresses, ` +
        `${n(second.matches.length)} planted overlaps with BrightManager's.`,
    );

    const user = await signIn(server, practice.email, practice.password);
    const activation = await user.post<Activation>('/v1/activation');
    say(`\n${practice.email} activates BrightClient (POST /v1/activation):`);
    for (const line of activation.sources) say(`  ${line.source.padEnd(14)} ${STATE_WORDS[line.state]} · import ${line.import?.id ?? '—'}`);

    say(`\nEach product's agent (brightclient agent <export folder> --once) finds its activation import and sends its whole export:\n`);
    const agentOptions = {
      programName: 'brightclient',
      server: server.url,
      concurrency: 2,
      gzip: false,
      batchBytes: MAX_BATCH_BYTES,
      wait: true,
      events: true,
      quiet: true,
      interval: 1,
      once: true,
    };
    await Promise.all(
      PRODUCTS.map((product) => runAgent(dirs[product], { ...agentOptions, token: practice.tokens[product] }, interrupt.signal)),
    );
    if (interrupt.signal.aborted) return 130;

    const end = await user.get<Activation>('/v1/activation');
    const reviews = await user.get<{ matches: unknown[]; nextCursor: string | null }>('/v1/matches?status=open&limit=200');
    const open = reviews.nextCursor ? `${n(reviews.matches.length)}+` : reviews.matches.length;
    say(`\nActivation ${end.completed ? 'completed' : 'not completed'} in ${((performance.now() - started) / 1000).toFixed(0)} s:\n`);
    say(summary(end, typeof open === 'number' ? open : reviews.matches.length));
    say(`\nOpen the web UI at ${server.url} and sign in as ${practice.email} with the password ${practice.password}`);
    say('(the home page shows the Activation panel while a product is under way; Failures and the review of matches list what is left).');
    if (exitAfter || interrupt.signal.aborted) return end.completed ? 0 : 1;
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
