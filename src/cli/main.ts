// `brightclient`: operating (practices, tokens, workers). Exit codes: 0 done, 1 could not run.
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { runWorker } from '../worker.ts';
import { adminPost, resolveAdminTarget } from './admin-client.ts';
import { registerAgentCommand } from './agent.command.ts';
import { registerGenerateCommand } from './generate.command.ts';
import { registerMapCommand } from './map.command.ts';
import { registerRetryCommand } from './retry.command.ts';
import { registerSendCommand } from './send.command.ts';
import { registerUserCommand } from './user.command.ts';

const program = new Command('brightclient')
  .description('BrightClient bulk import: operate the service and send imports to it.')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 1));

const serverOptions = (command: Command) =>
  command
    .option('--server <url>', 'the BrightClient server (default $BRIGHTCLIENT_URL or http://127.0.0.1:3000)')
    .option('--admin-token <token>', 'operator token (default $BRIGHTCLIENT_ADMIN_TOKEN or data/admin-token)');

const practice = program.command('practice').description('manage practices (tenants)');
serverOptions(practice.command('create').description('create a practice; prints its id').argument('<name>', 'the practice name')).action(
  async (name: string, options: { server?: string; adminToken?: string }) => {
    const created = await adminPost<{ id: string; name: string }>(resolveAdminTarget(options), '/admin/practices', { name });
    process.stdout.write(`Created practice "${created.name}": ${created.id}\n`);
  },
);

const token = program.command('token').description('manage source tokens');
serverOptions(
  token
    .command('create')
    .description('issue a source token for a practice (shown once, stored hashed)')
    .argument('<practiceId>', 'the practice id')
    .requiredOption('--source <slug>', 'the source product, e.g. brightmanager, brightbooks, brightap'),
).action(async (practiceId: string, options: { source: string; server?: string; adminToken?: string }) => {
  const created = await adminPost<{ token: string }>(
    resolveAdminTarget(options),
    `/admin/practices/${encodeURIComponent(practiceId)}/tokens`,
    {
      source: options.source,
    },
  );
  process.stdout.write(`${created.token}\n`);
});

registerUserCommand(program, serverOptions);

registerSendCommand(program);
registerRetryCommand(program);
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
