// `brightclient cancel <importId>`: cancel an import that is still receiving — a send given up on, or a retry that
// nobody will fulfil. Its staged records are dropped on the server and nothing is committed.
import type { Command } from 'commander';
import { ApiError } from '../index.ts';
import { createClient, describeError } from './run-send.ts';
import { EXIT, type SourceOptions } from './source-options.ts';

export function registerCancelCommand(program: Command): void {
  program
    .command('cancel')
    .description('cancel an import that is still receiving batches (its staged records are dropped; nothing is imported)')
    .argument('<importId>', 'the import to cancel')
    .option('--server <url>', 'the BrightClient server (default $BRIGHTCLIENT_URL or http://127.0.0.1:3000)')
    .option('--token <token>', 'the source token (default $BRIGHTCLIENT_TOKEN)')
    .action(async (importId: string, options: Pick<SourceOptions, 'server' | 'token'>) => {
      try {
        const client = createClient(options, { log: (line) => void process.stderr.write(`${line}\n`) });
        const view = await client.cancel(importId);
        process.stdout.write(`Import ${view.id} is cancelled: nothing of it was imported, and it takes no more batches.\n`);
        process.exit(EXIT.ok);
      } catch (error) {
        // A refusal's own sentence says what the import is instead ("… is completed; only an import that is still
        // receiving can be cancelled."): said once, not wrapped in a second sentence that says it again.
        const refused = error instanceof ApiError && error.hasCode('import_not_receiving') ? error.problem.detail : undefined;
        process.stderr.write(`brightclient: ${refused ?? describeError(error)}\n`);
        process.exit(EXIT.cannotRun);
      }
    });
}
