// `brightclient send <dir>`: send an export folder as one import, follow it, and save its error file beside it.
import type { Command } from 'commander';
import { interruptSignal, runTransfer } from './run-send.ts';
import { EXIT_CODES_HELP, withSourceOptions, type SourceOptions } from './source-options.ts';

export const EXPORT_FOLDER_HELP = `
The export folder holds clients, contacts and addresses, each as NDJSON (clients.ndjson or .jsonl, one record
per line), a JSON array (clients.json) or CSV (clients.csv, delimited by , ; tab or |; columns in docs/sender.md,
other headers mapped by <dir>/mapping.json or --map: see the map command). Nothing is sent while a CSV file has no
column for a required field. Records are read a few at a time and packed into batches of at most 10 MB. The error file is saved in the folder as
brightclient-errors-<importId>.csv.`;

export function registerSendCommand(program: Command): void {
  withSourceOptions(
    program
      .command('send')
      .description('send an export folder (clients, contacts, addresses) as one import and follow it to the end')
      .argument('<dir>', 'the export folder')
      .option('--dry-run', 'a test run: the server processes the export in full but writes nothing; prints what would be imported', false),
  )
    .addHelpText(
      'after',
      `${EXPORT_FOLDER_HELP}\n\nAn interrupted send resumes when run again: batches the server acknowledged are not sent twice.\n` +
        `With --dry-run the import is checked, linked and matched as for real, and the counts and error file are those the\n` +
        `import would have, but no record is written: sending it for real afterwards gives the same result.\n${EXIT_CODES_HELP}`,
    )
    .action(async (dir: string, options: SourceOptions & { dryRun: boolean }) => {
      const { exitCode } = await runTransfer(dir, options, { kind: 'send', dryRun: options.dryRun }, interruptSignal());
      process.exit(exitCode);
    });
}
