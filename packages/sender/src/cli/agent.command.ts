// `brightclient agent <dir>`: stays running beside a source product's export folder. A retry pressed in the web UI
// creates a retry import for this source that is still receiving and has no batch yet, and the practice's
// activation of BrightClient an activation import; the agent finds them (GET /v1/imports?status=receiving), sends
// from the folder the refs a retry asks for or, for an activation, the whole export, and completes them.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readState, sleep, type ImportView } from '../index.ts';
import { createClient, describeError, interruptSignal, runTransfer } from './run-send.ts';
import { EXPORT_FOLDER_HELP } from './send.command.ts';
import { EXIT, stateFileFor, withSourceOptions, type SourceOptions } from './source-options.ts';
import { count } from './wording.ts';

interface AgentOptions extends SourceOptions {
  interval: number;
  once: boolean;
}

const AGENT_STATE = '.brightclient-agent.json';

const what = (view: ImportView) => (view.kind === 'activation' ? 'Activation import' : 'Retry');

function asks(view: ImportView): string {
  if (view.kind === 'activation') return `asks for the whole export (BrightClient was activated by ${actorName(view.startedBy)})`;
  const requested = view.requested ?? { clients: [], contacts: [], addresses: [] };
  return `of import ${view.retryOf} asks for ${count(requested.clients.length, 'client')}, ${count(requested.contacts.length, 'contact')} and ${count(requested.addresses.length, 'address')}`;
}

const actorName = (actor: ImportView['startedBy']) => (actor.kind === 'user' ? actor.email : actor.source);

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
  if (!options.once)
    log(`Watching ${client.server} for retries and activations to fulfil from ${dir} (every ${options.interval} s; Ctrl-C stops).`);
  while (!signal.aborted) {
    try {
      const unfinished = (await readState(stateFile))?.importId;
      const receiving = await client.listImports({ status: 'receiving', limit: 200 }, signal);
      // Oldest first; one this agent had started (its state file names it) is taken up again.
      // An import the source started itself is its sender's to fill, not the agent's.
      const asked = receiving.filter((v) => v.kind !== 'import' && (v.batches.received === 0 || v.id === unfinished)).reverse();
      // A look that finds nothing says so once: a cron job's log (or a newcomer) can tell it looked.
      if (options.once && asked.length === 0) log(`No retry or activation waits to be fulfilled from ${dir}.`);
      for (const view of asked) {
        log(`${what(view)} ${view.id} ${asks(view)}.`);
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
            ? `${what(view)} ${view.id} done: every requested record is in BrightClient.`
            : outcome.exitCode === EXIT.failures
              ? `${what(view)} ${view.id} done with failures; error file: ${outcome.errorFile ?? 'none'}.`
              : `${what(view)} ${view.id} could not be fulfilled now; trying again on the next round.`,
        );
      }
    } catch (error) {
      if (signal.aborted) break;
      worst = Math.max(worst, EXIT.cannotRun);
      log(`Cannot check for imports to fulfil: ${describeError(error)}`);
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
      .description('keep running: fulfil retries requested in the web UI, and the activation, from the export folder')
      .argument('<dir>', 'the export folder, kept up to date by the source product'),
  )
    .addOption(
      new Option('--interval <seconds>', 'how often to look for retries and activations').default(10).argParser((v) => {
        const n = Number(v);
        if (!(n > 0 && n <= 3600)) throw new InvalidArgumentError('expected seconds from 0.1 to 3600');
        return n;
      }),
    )
    .option('--once', 'look once, fulfil what is waiting, and exit (for cron)', false)
    .addHelpText(
      'after',
      `${EXPORT_FOLDER_HELP}\n\nAn activation import (BrightClient activated by the practice) is sent the whole export. Each outcome is logged\nwith its error file. Ctrl-C stops the agent; an interrupted one is taken up again on the next start. With --once\nthe exit code is that of the worst one (0, 2 or 1).`,
    )
    .action(async (dir: string, options: AgentOptions) => {
      process.exit(await runAgent(dir, options, interruptSignal()));
    });
}
