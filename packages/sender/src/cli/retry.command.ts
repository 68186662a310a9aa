// `brightclient retry <importId> <dir>`: retry the failed records of an import, read fresh from the corrected folder.
import type { Command } from 'commander';
import { interruptSignal, runTransfer } from './run-send.ts';
import { EXPORT_FOLDER_HELP } from './send.command.ts';
import { EXIT_CODES_HELP, withSourceOptions, type SourceOptions } from './source-options.ts';

export function registerRetryCommand(program: Command): void {
  withSourceOptions(
    program
      .command('retry')
      .description(
        "retry an import's failed records: the server lists the refs still failing, and only those are sent, read from the (corrected) folder",
      )
      .argument('<importId>', 'the import whose failed records to retry')
      .argument('<dir>', 'the export folder, corrected'),
  )
    .addHelpText(
      'after',
      `${EXPORT_FOLDER_HELP}\n\nRecords imported since are not asked for; a failed ref the folder no longer has is not sent and stays failing.\n${EXIT_CODES_HELP}`,
    )
    .action(async (importId: string, dir: string, options: SourceOptions) => {
      const { exitCode } = await runTransfer(dir, options, { kind: 'retry', importId }, interruptSignal());
      process.exit(exitCode);
    });
}
