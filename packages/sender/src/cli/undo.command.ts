// `brightclient undo <importId>`: take a completed import back (SPEC §10). Shows the preview first — what would be
// removed, what stays because another product links it too, what refuses it — then asks (or takes --yes), starts
// the undo and follows it until the import is undone.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { follow } from '../follow.ts';
import type { UndoPreview } from '../types.ts';
import { createClient, describeError } from './run-send.ts';
import { EXIT, type SourceOptions } from './source-options.ts';
import { count, sentence } from './wording.ts';

type UndoOptions = Pick<SourceOptions, 'server' | 'token'> & { yes: boolean };

const TYPES = ['clients', 'contacts', 'addresses'] as const;
const NOUNS: Record<(typeof TYPES)[number], [string, string]> = {
  clients: ['client', 'clients'],
  contacts: ['contact', 'contacts'],
  addresses: ['address', 'addresses'],
};

const listed = (preview: UndoPreview, member: 'remove' | 'keep') =>
  TYPES.map((t) => count(preview.counts[t][member], ...NOUNS[t])).join(', ');

/** The preview as a person reads it: what goes (with a few names), what stays, and why it cannot run if it cannot. */
export function describePreview(preview: UndoPreview): string {
  const lines = [
    `Undo of import ${preview.importId}${preview.imports.length > 1 ? ` with its retries ${preview.imports.slice(1).join(', ')}` : ''}:`,
  ];
  lines.push(`  removes ${listed(preview, 'remove')}`);
  for (const t of TYPES)
    if (preview.examples[t].length > 0)
      lines.push(
        `    ${NOUNS[t][1]}: ${preview.examples[t].join('; ')}${preview.counts[t].remove > preview.examples[t].length ? ' …' : ''}`,
      );
  if (TYPES.some((t) => preview.counts[t].keep > 0))
    lines.push(`  keeps ${listed(preview, 'keep')}: another product links them too; only this product’s link goes`);
  if (preview.refusal) lines.push(`  cannot run: ${sentence(preview.refusal.detail)}`);
  return `${lines.join('\n')}\n`;
}

async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

export function registerUndoCommand(program: Command): void {
  program
    .command('undo')
    .description('undo a completed import (and its completed retries): preview, confirm, then follow it until undone')
    .argument('<importId>', 'the import to undo')
    .option('--server <url>', 'the BrightClient server (default $BRIGHTCLIENT_URL or http://127.0.0.1:3000)')
    .option('--token <token>', 'the source token (default $BRIGHTCLIENT_TOKEN)')
    .option('-y, --yes', 'undo without asking (the preview is still printed)', false)
    .action(async (importId: string, options: UndoOptions) => {
      try {
        const client = createClient(options, { log: (line) => void process.stderr.write(`${line}\n`) });
        const preview = await client.undoPreview(importId);
        process.stdout.write(describePreview(preview));
        if (preview.refusal) process.exit(EXIT.cannotRun);
        if (!options.yes) {
          if (!process.stdin.isTTY) {
            process.stderr.write('brightclient: nothing was undone; pass --yes to undo without a question.\n');
            process.exit(EXIT.cannotRun);
          }
          if (!(await confirmed(`Remove ${count(preview.removeTotal, 'record')} from BrightClient? [y/N] `))) {
            process.stdout.write('Nothing was undone.\n');
            process.exit(EXIT.ok);
          }
        }
        const started = await client.undo(importId);
        const done = await follow(client, started.id, {
          onProgress: (view) => process.stderr.isTTY && process.stderr.write(`\r${view.status} ${Math.round(view.progress * 100)}%  `),
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (done.status !== 'undone') {
          process.stderr.write(
            `brightclient: the undo did not run: import ${done.id} is ${done.status} again (records came to depend on it).\n`,
          );
          process.exit(EXIT.cannotRun);
        }
        process.stdout.write(
          `Import ${done.id} is undone: ${listed(preview, 'remove')} removed. Its records are no longer known to BrightClient, so sending the same export again imports them again.\n`,
        );
        process.exit(EXIT.ok);
      } catch (error) {
        process.stderr.write(`brightclient: ${describeError(error)}\n`);
        process.exit(EXIT.cannotRun);
      }
    });
}
