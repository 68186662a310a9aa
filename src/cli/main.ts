// `brightclient`: operating (practices, tokens, users, workers) and the source side. Exit codes: 0 done, 1 could not run.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { runWorker } from '../worker.ts';
import { quietOnClosedStdout, registerSourceCommands } from '../../packages/sender/src/cli/commands.ts';
import { registerPracticeCommand } from './practice.command.ts';
import { registerTokenCommand } from './token.command.ts';
import { registerUserCommand } from './user.command.ts';

const serverVersion = () =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const program = new Command('brightclient')
  .description('BrightClient bulk import: operate the service and send imports to it.')
  .version(serverVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 1));

registerPracticeCommand(program);
registerTokenCommand(program);
registerUserCommand(program);

// The source side, from the sender package (its own command is brightclient-sender).
registerSourceCommands(program);

program
  .command('worker')
  .description('run import workers without the HTTP server (needs DATABASE_URL; BRIGHTCLIENT_WORKERS sets how many jobs at once)')
  .action(async () => runWorker(loadConfig()));

quietOnClosedStdout();

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`brightclient: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
