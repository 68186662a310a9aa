// The server process: config → database (embedded or DATABASE_URL) → migrate → jobs → HTTP + workers.
// SIGINT/SIGTERM close the HTTP server, let running jobs stop at a safe point, then stop the database.
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createPool } from './db/pool.ts';
import { buildApp } from './http/app.ts';
import { ensureWebBuild } from './http/web.ts';
import { createBoss, startBoss } from './jobs/queue.ts';
import { startWorkers } from './jobs/workers.ts';
import { resolveAdminToken } from './practices/admin-token.ts';
import { seedDemoPractice } from './demo-seed.ts';
import { sessionAuthenticator } from './http/session-cookie.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, say);
  const db = createPool(database.url, 20);
  const applied = await migrate(db);
  if (applied.length > 0) say(`Applied migrations: ${applied.map((m) => m.name).join(', ')}`);
  const adminToken = await resolveAdminToken(config.adminToken, config.dataDir, say);
  const demo = await seedDemoPractice(db);
  await ensureWebBuild(say);

  const boss = createBoss(database.url);
  boss.on('error', (error) => app.log.error({ err: error }, 'job queue error'));
  await startBoss(boss);
  let workersRunning = false;
  const app = await buildApp({
    db,
    boss,
    adminToken,
    logLevel: config.logLevel,
    intakeConcurrency: config.intakeConcurrency,
    rateLimitPerMinute: config.rateLimitPerMinute,
    session: sessionAuthenticator(db),
    ready: () => workersRunning || config.workerConcurrency === 0,
  });
  const workers = await startWorkers({
    db,
    boss,
    concurrency: config.workerConcurrency,
    heartbeatSeconds: config.heartbeatSeconds,
    retentionDays: config.retentionDays,
    log: app.log,
  });
  workersRunning = true;
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
    await app.close();
    await workers.stop();
    await boss.stop({ graceful: true, timeout: 10_000 });
    await db.end();
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
