// `brightclient generate <dir>`: a realistic export of a UK practice, with planted failures and the errors the
// server must report for them (expected-errors.csv); with --overlap-with, another product's export of the same
// practice and the matches the server must find (expected-matches.csv).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { RECORD_TYPES } from '../contract.generated.ts';
import { IDENTIFIER_RATES_CHOICES, writeSecondSource, type IdentifierRates } from './generate/second-source.ts';
import { writeGeneratedExport } from './generate/write-export.ts';

interface GenerateOptions {
  clients?: number;
  overlapWith?: string;
  overlap: number;
  identifierRates: IdentifierRates;
  refPrefix: string;
  seed: number;
  invalidRate: number;
  format: 'ndjson' | 'json' | 'csv';
  corrected: boolean;
}

const share = (v: string) => {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
};

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
      new Option('--clients <n>', 'how many clients (about 6 records each); not with --overlap-with').argParser(wholeNumber(1, 2_000_000)),
    )
    .addOption(new Option('--overlap-with <dir>', "write another product's export of the practice whose export is in <dir>"))
    .addOption(
      new Option('--overlap <r>', 'with --overlap-with: share of its clients this product holds too').default(0.6).argParser(share),
    )
    .addOption(
      new Option('--identifier-rates <rates>', 'with --overlap-with: how often this product lacks or changes an identifier')
        .choices(IDENTIFIER_RATES_CHOICES)
        .default('realistic'),
    )
    .addOption(new Option('--ref-prefix <p>', "with --overlap-with: prefix of this product's refs").default('B-'))
    .addOption(new Option('--seed <s>', 'the same seed writes the same export').default(1).argParser(wholeNumber(0, 2 ** 31 - 1)))
    .addOption(
      new Option('--invalid-rate <r>', 'share of records planted with a failure of their own (0 to 1)').default(0.02).argParser(share),
    )
    .addOption(new Option('--format <format>', 'file format').choices(['ndjson', 'json', 'csv']).default('ndjson'))
    .option('--corrected', 'write the same export with every planted failure fixed (to try `brightclient retry`)', false)
    .addHelpText(
      'after',
      `
Writes clients, contacts and addresses (.ndjson, .json or .csv), expected-errors.csv — one row per error the
server must report (record_type, record_ref, record_name, client_reference, field, code, and what was planted) —
and expected-summary.json with the counts the import must end with. Failures planted: invalid fields of every
kind, unknown client and owner refs, duplicate refs; records depending on a failing one fail with it.

With --overlap-with <first>: another product's export (NDJSON) of the same practice — a share of <first>'s
clients and people again under other refs, spelt as another product would (Ltd/Limited, &/and, a dropped leading
zero, an identifier missing or extra, a moved office, a shared director), clients of its own and look-alikes —
and expected-matches.csv: per planted pair, join, review or apart (SPEC §9). --identifier-rates realistic (the
default) writes what a bookkeeping product holds beside a practice-management one: mostly the clients that are
VAT-registered or companies, their company and VAT numbers nearly always, no UTR; pessimistic drops identifiers
as often for every client type (15 % one of two, 5 % all).`,
    )
    .action(async (dir: string, options: GenerateOptions) => {
      const started = performance.now();
      if (options.overlapWith !== undefined) {
        const second = await writeSecondSource(dir, {
          overlapWith: options.overlapWith,
          overlap: options.overlap,
          identifierRates: options.identifierRates,
          seed: options.seed,
          prefix: options.refPrefix,
        });
        const wrote = `${second.counts.clients} clients, ${second.counts.contacts} contacts, ${second.counts.addresses} addresses`;
        process.stdout.write(
          `Wrote ${wrote} and ${second.matches.length} expected matches. Files:\n${second.files.map((f) => `  ${f}`).join('\n')}\n`,
        );
        return;
      }
      if (options.clients === undefined) throw new InvalidArgumentError('--clients <n> is required (or --overlap-with <dir>)');
      const summary = await writeGeneratedExport(dir, { ...options, clients: options.clients });
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
