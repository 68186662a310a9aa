// Options shared by the source-side commands (send, retry, agent): where the server is, the source token, and how
// to upload. The token and server also come from $BRIGHTCLIENT_TOKEN and $BRIGHTCLIENT_URL.
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { MAX_BATCH_BYTES } from '../index.ts';

export const EXIT = { ok: 0, cannotRun: 1, failures: 2, interrupted: 130 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    every record was imported (or skipped as already imported)
  2    the import finished, but some records failed (see the error file) or could not be sent
  1    it could not run: bad arguments, unreadable export, server unreachable after retries, refused token …
  130  interrupted (Ctrl-C); run the same command again to resume`;

export interface SourceOptions {
  /** The command a person typed (`brightclient`), for the hints in messages. */
  programName: string;
  server?: string;
  map?: string;
  token?: string;
  concurrency: number;
  gzip: boolean;
  batchBytes: number;
  state?: string;
  wait: boolean;
  events: boolean;
  quiet: boolean;
}

const positiveInt = (max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
  return n;
};

export function withSourceOptions(command: Command): Command {
  return command
    .hook('preAction', (_, action) => void action.setOptionValue('programName', action.parent?.name() ?? 'brightclient'))
    .option('--server <url>', 'the BrightClient server (default $BRIGHTCLIENT_URL or http://127.0.0.1:3000)')
    .option('--token <token>', 'the source token (default $BRIGHTCLIENT_TOKEN)')
    .addOption(new Option('--concurrency <n>', 'batches uploaded at once').default(2).argParser(positiveInt(16)))
    .option('--gzip', 'compress batches with gzip (worth it over slow links)', false)
    .addOption(
      new Option('--batch-bytes <n>', 'largest batch body in bytes')
        .default(MAX_BATCH_BYTES, '10485760 (the limit)')
        .argParser(positiveInt(MAX_BATCH_BYTES)),
    )
    .option('--map <file>', 'mapping of CSV headers to fields (default <dir>/mapping.json when there is one; see the map command)')
    .option('--state <file>', 'state file that lets an interrupted send resume (default <dir>/.brightclient-send.json)')
    .option('--no-wait', 'return once everything is sent, without following the processing')
    .option('--no-events', 'follow the processing by polling instead of Server-Sent Events')
    .option('-q, --quiet', 'no progress output; only the summary', false);
}

export function resolveSource(options: Pick<SourceOptions, 'server' | 'token'>): { server: string; token: string } {
  const server = (options.server ?? process.env.BRIGHTCLIENT_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const token = options.token ?? process.env.BRIGHTCLIENT_TOKEN;
  if (!token) throw new Error('No source token: pass --token or set BRIGHTCLIENT_TOKEN.');
  try {
    new URL(server);
  } catch {
    throw new Error(`--server ${server} is not a URL.`);
  }
  return { server, token };
}

export const stateFileFor = (dir: string, options: { state?: string }, name = '.brightclient-send.json') =>
  options.state ?? path.join(dir, name);
