#!/usr/bin/env node
// `brightclient-sender`: the source side of BrightClient — send an export folder, retry, fulfil retries, cancel,
// map CSV columns, generate demo data. Exit codes: 0 done, 1 could not run (the commands add 2 and 130).
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { quietOnClosedStdout, registerSourceCommands } from './commands.ts';

// The same relative place in the sources and in the built package: <package>/src|dist/cli/main.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('brightclient-sender')
  .description('Send a practice’s clients, contacts and address histories from a source product to BrightClient.')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 1));
registerSourceCommands(program);
quietOnClosedStdout();

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`brightclient-sender: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
