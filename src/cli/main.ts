// `brightclient`: operating (practices, tokens, users, workers) and the source side. Exit codes: 0 done, 1 could not run.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { runWorker } from '../worker.ts';
import { registerAgentCommand } from './agent.command.ts';
import { registerCancelCommand } from './cancel.command.ts';
import { registerGenerateCommand } from './generate.command.ts';
import { registerMapCommand } from './map.command.ts';
import { registerPracticeCommand } from './practice.command.ts';
import { registerRetryCommand } from './retry.command.ts';
import { registerSendCommand } from './send.command.ts';
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

registerSendCommand(program);
registerRetryCommand(program);
registerCancelCommand(program);
registerAgentCommand(program);
registerGenerateCommand(program);
registerMapCommand(program);

program
  .command('worker')
  .description('run import workers without the HTTP server (needs DATABASE_URL; BRIGHTCLIENT_WORKERS sets how many jobs at once)')
  .action(async () => runWorker(loadConfig()));

// `brightclient … | head` closes our stdout early: that ends the command quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`brightclient: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
