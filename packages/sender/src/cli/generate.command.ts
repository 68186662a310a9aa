// `brightclient generate <dir>`: a realistic export of a UK practice, with planted failures and the errors the
// server must report for them (expected-errors.csv).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { RECORD_TYPES } from '../contract.generated.ts';
import { writeGeneratedExport } from './generate/write-export.ts';

interface GenerateOptions {
  clients: number;
  seed: number;
  invalidRate: number;
  format: 'ndjson' | 'json' | 'csv';
  corrected: boolean;
}

const wholeNumber = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
  return n;
};

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('write a realistic export of a UK practice (clients, contacts, address histories) with planted failures')
    .argument('<dir>', 'the folder to write (created if missing)')
    .addOption(
      new Option('--clients <n>', 'how many clients (about 6 records each)').argParser(wholeNumber(1, 2_000_000)).makeOptionMandatory(),
    )
    .addOption(new Option('--seed <s>', 'the same seed writes the same export').default(1).argParser(wholeNumber(0, 2 ** 31 - 1)))
    .addOption(
      new Option('--invalid-rate <r>', 'share of records planted with a failure of their own (0 to 1)').default(0.02).argParser((v) => {
        const n = Number(v);
        if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
        return n;
      }),
    )
    .addOption(new Option('--format <format>', 'file format').choices(['ndjson', 'json', 'csv']).default('ndjson'))
    .option('--corrected', 'write the same export with every planted failure fixed (to try `brightclient retry`)', false)
    .addHelpText(
      'after',
      `
Writes clients, contacts and addresses (.ndjson, .json or .csv), expected-errors.csv — one row per error the
server must report (record_type, record_ref, record_name, client_reference, field, code, and what was planted) —
and expected-summary.json with the counts the import must end with. Failures planted: invalid fields of every
kind, unknown client and owner refs, duplicate refs; records depending on a failing one fail with it.`,
    )
    .action(async (dir: string, options: GenerateOptions) => {
      const started = performance.now();
      const summary = await writeGeneratedExport(dir, options);
      const total = RECORD_TYPES.reduce((n, t) => n + summary.counts[t].received, 0);
      process.stdout.write(`Wrote ${total.toLocaleString('en-GB')} records in ${((performance.now() - started) / 1000).toFixed(1)} s:\n`);
      for (const t of RECORD_TYPES) {
        const c = summary.counts[t];
        process.stdout.write(
          `  ${t.padEnd(10)} ${c.received.toLocaleString('en-GB').padStart(9)}  (${c.failed.toLocaleString('en-GB')} must fail)\n`,
        );
      }
      process.stdout.write(
        `${summary.errorRows.toLocaleString('en-GB')} expected error rows. Files:\n${summary.files.map((f) => `  ${f}`).join('\n')}\n`,
      );
    });
}
