// The server process: config → database (embedded or DATABASE_URL) → migrate → jobs → HTTP + workers.
// SIGINT/SIGTERM close the HTTP server, let running jobs stop at a safe point, then stop the database.
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { seedDemoPractice } from './demo-seed.ts';
import { terminalLogStream } from './http/terminal-log.ts';
import { ensureWebBuild } from './http/web.ts';
import { resolveAdminToken } from './practices/admin-token.ts';
import { startServer } from './server.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, say);
  const adminToken = await resolveAdminToken(config.adminToken, config.dataDir, say);
  await ensureWebBuild(say);
  const server = await startServer({
    databaseUrl: database.url,
    poolSize: 20,
    migrate: true,
    settings: config,
    // On a terminal, readable logs without a line per request; otherwise pino's JSON lines.
    http: { adminToken, sessions: true, ...(process.stdout.isTTY ? { logStream: terminalLogStream(process.stdout) } : {}) },
  });
  if (server.applied.length > 0) say(`Applied migrations: ${server.applied.map((m) => m.name).join(', ')}`);
  const demo = await seedDemoPractice(server.db);
  const { app } = server;
  await app.listen({ port: config.port, host: config.host });
  const base = `http://${config.host}:${(app.server.address() as { port: number }).port}`;
  say(
    `BrightClient is running at ${base} (API docs at ${base}/docs) on ${database.embedded ? 'the embedded PostgreSQL' : 'DATABASE_URL'}.`,
  );
  if (demo) {
    say(`First start: created the practice "Demo Practice" (${demo.practiceId}) with a source token for brightmanager:`);
    say(`  ${demo.token}`);
    say(`  and a user to sign in at ${base} with: ${demo.email} / ${demo.password}`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    await server.stop();
    await database.stop();
    clearTimeout(force);
    process.exit(0);
  };
  // Ctrl-C in a terminal also reaches the embedded PostgreSQL (same process group), which then ends our
  // connections while we shut down: those errors are expected then, and nothing else is.
  process.on('uncaughtException', (error: Error & { code?: string }) => {
    if (stopping && (error.code === '57P01' || error.code === 'ECONNRESET' || /Connection terminated/.test(error.message))) return;
    process.stderr.write(`BrightClient stopped on an unexpected error: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(`BrightClient could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
