// `brightclient agent <dir>`: stays running beside a source product's export folder. A retry pressed in the web UI
// creates a retry import for this source that is still receiving and has no batch yet; the agent finds it
// (GET /v1/imports?status=receiving), sends the refs it asks for from the folder, and completes it.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readState, sleep } from '../index.ts';
import { createClient, describeError, interruptSignal, runTransfer } from './run-send.ts';
import { EXPORT_FOLDER_HELP } from './send.command.ts';
import { EXIT, stateFileFor, withSourceOptions, type SourceOptions } from './source-options.ts';
import { count } from './wording.ts';

interface AgentOptions extends SourceOptions {
  interval: number;
  once: boolean;
}

const AGENT_STATE = '.brightclient-agent.json';

export async function runAgent(dir: string, options: AgentOptions, signal: AbortSignal): Promise<number> {
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let worst: number = EXIT.ok;
  let client;
  try {
    client = createClient(options, { log });
  } catch (error) {
    process.stderr.write(`brightclient: ${describeError(error)}\n`);
    return EXIT.cannotRun;
  }
  const stateFile = stateFileFor(dir, options, AGENT_STATE);
  if (!options.once) log(`Watching ${client.server} for retries to fulfil from ${dir} (every ${options.interval} s; Ctrl-C stops).`);
  while (!signal.aborted) {
    try {
      const unfinished = (await readState(stateFile))?.importId;
      const receiving = await client.listImports({ status: 'receiving', limit: 200 }, signal);
      // Oldest first; one this agent had started (its state file names it) is taken up again.
      const asked = receiving.filter((v) => v.retryOf !== null && (v.batches.received === 0 || v.id === unfinished)).reverse();
      for (const view of asked) {
        const requested = view.requested ?? { clients: [], contacts: [], addresses: [] };
        log(
          `Retry ${view.id} of import ${view.retryOf} asks for ${count(requested.clients.length, 'client')}, ${count(requested.contacts.length, 'contact')} and ${count(requested.addresses.length, 'address')}.`,
        );
        const outcome = await runTransfer(
          dir,
          { ...options, state: stateFile, quiet: true },
          { kind: 'fulfil', importId: view.id },
          signal,
        );
        if (signal.aborted) break;
        worst = Math.max(worst, outcome.exitCode);
        log(
          outcome.exitCode === EXIT.ok
            ? `Retry ${view.id} done: every requested record is in BrightClient.`
            : outcome.exitCode === EXIT.failures
              ? `Retry ${view.id} done with failures; error file: ${outcome.errorFile ?? 'none'}.`
              : `Retry ${view.id} could not be fulfilled now; trying again on the next round.`,
        );
      }
    } catch (error) {
      if (signal.aborted) break;
      worst = Math.max(worst, EXIT.cannotRun);
      log(`Cannot check for retries: ${describeError(error)}`);
    }
    if (options.once) return worst;
    await sleep(options.interval * 1000, signal).catch(() => {});
  }
  log('Stopped.');
  return EXIT.ok;
}

export function registerAgentCommand(program: Command): void {
  withSourceOptions(
    program
      .command('agent')
      .description('keep running: fulfil retries requested in the web UI from the export folder')
      .argument('<dir>', 'the export folder, kept up to date by the source product'),
  )
    .addOption(
      new Option('--interval <seconds>', 'how often to look for retries').default(10).argParser((v) => {
        const n = Number(v);
        if (!(n > 0 && n <= 3600)) throw new InvalidArgumentError('expected seconds from 0.1 to 3600');
        return n;
      }),
    )
    .option('--once', 'look once, fulfil what is waiting, and exit (for cron)', false)
    .addHelpText(
      'after',
      `${EXPORT_FOLDER_HELP}\n\nEach retry's outcome is logged with its error file. Ctrl-C stops the agent; an interrupted retry is taken up\nagain on the next start. With --once the exit code is that of the worst retry (0, 2 or 1).`,
    )
    .action(async (dir: string, options: AgentOptions) => {
      process.exit(await runAgent(dir, options, interruptSignal()));
    });
}
