// `npm test`: type-check, lint, then run every test file against real PostgreSQL — the embedded one (under
// data/test-postgres) or TEST_DATABASE_URL's server. A migrated template database is built once; each test file
// clones it (CREATE DATABASE … TEMPLATE), so every file has its own database for a few milliseconds.
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { ensureWebBuild } from '../src/http/web.ts';
import { startServer } from '../src/server.ts';
import { readdirSync, statSync } from 'node:fs';

const root = path.resolve(import.meta.dirname, '..');
// Unique per run, so two runs against one server (a developer's and a helper's) never touch each other's databases.
const TEMPLATE = `bct_template_${process.pid}`;
const say = (line: string) => process.stdout.write(`${line}\n`);

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'helpers' ? [] : testFiles(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function buildTemplate(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  // Started once without HTTP or workers: our migrations, and pg-boss installs its schema into the template too.
  const template = await startServer({
    databaseUrl: withDatabase(serverUrl, TEMPLATE),
    poolSize: 2,
    migrate: true,
    settings: { workerConcurrency: 0 },
    http: null,
  });
  await template.stop({ graceful: false });
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  if (only.length === 0) {
    for (const project of [root, path.join(root, 'web')]) {
      say(`Type-checking ${path.relative(root, project) || 'the server, sender, tests and scripts'} (tsc --noEmit)…`);
      const tsc = spawnSync(path.join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', project], { stdio: 'inherit' });
      if (tsc.status !== 0) return 1;
    }
    // `npm run lint` (eslint with zero warnings, prettier --check) is the one definition of the lint; the gate runs it.
    say('Linting (npm run lint)…');
    if (spawnSync('npm', ['run', '--silent', 'lint'], { cwd: root, stdio: 'inherit' }).status !== 0) return 1;
  }
  const external = process.env.TEST_DATABASE_URL;
  const embedded = external ? null : await startEmbeddedPostgres(path.join(root, 'data/test'), say);
  const serverUrl = withDatabase(external ?? embedded!.url, 'postgres');
  try {
    await buildTemplate(external ?? embedded!.url);
    // Once, before the tests: a server process started by a test would otherwise build a stale UI itself, slowly.
    await ensureWebBuild(say);
    say(`Testing on ${external ? 'TEST_DATABASE_URL' : 'the embedded PostgreSQL'}.`);
    const files = only.length > 0 ? only : testFiles(path.join(root, 'test')).sort();
    const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
      stdio: 'inherit',
      env: {
        ...process.env,
        BRIGHTCLIENT_TEST_SERVER: serverUrl,
        BRIGHTCLIENT_TEST_TEMPLATE: TEMPLATE,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      },
    });
    return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

process.exitCode = await main();
