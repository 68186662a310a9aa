// A worker process without the HTTP server (`brightclient worker`): for when one machine is outgrown. It needs the
// server's database (DATABASE_URL); jobs and import state live there, so any number of workers share the work.
import type { Config } from './config.ts';
import { startServer } from './server.ts';

export async function runWorker(config: Config): Promise<void> {
  if (!config.databaseUrl) throw new Error('brightclient worker needs DATABASE_URL: the database of the server it works for.');
  const worker = await startServer({
    databaseUrl: config.databaseUrl,
    poolSize: 10,
    settings: { ...config, workerConcurrency: Math.max(1, config.workerConcurrency) },
    http: null,
  });
  worker.log.info({ concurrency: config.workerConcurrency }, 'worker running');
  const stop = async () => {
    await worker.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
