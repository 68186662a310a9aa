// The fast paths of the UTR, VAT number and UK postcode checks against their judges, the full rules with stdnum and
// the postcode library: whatever a fast path answers must be the judge's answer, normalised form included (else a
// record the library refuses would be taken, or stored differently), the answer with the fallback must be the
// judge's for every input, and the fast path must answer the plain spellings of generated exports (else it saves
// nothing). The values are generated valid ones, every check digit beside them, and mutations of both; a loosened
// fast path must fail the comparison.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatePractice } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { utrDigits, vatDigits } from '../../packages/sender/src/cli/generate/uk-check-digits.ts';
import { valid, type Parsed } from '../../src/intake/identifiers/parsed.ts';
import { libraryUkFormat, plainUkFormat, ukFormat } from '../../src/intake/identifiers/postcode.ts';
import { isPlainValidUtr, parseUtr, parseUtrWithStdnum } from '../../src/intake/identifiers/utr.ts';
import { parseVatNumber, parseVatNumberWithStdnum, plainValidVatNumber } from '../../src/intake/identifiers/vat-number.ts';
import { draws, mutations } from '../helpers/draws.ts';
import { compareFastPathWithJudge, type FastPathComparison } from '../helpers/fast-path-comparison.ts';

/** The UTRs, VAT numbers and postcodes of a generated practice (its planted invalid ones included). */
function generatedValues(): { utrs: string[]; vatNumbers: string[]; postcodes: string[] } {
  const utrs: string[] = [];
  const vatNumbers: string[] = [];
  const postcodes: string[] = [];
  for (const { record } of generatePractice({ clients: 3_000, seed: 5, invalidRate: 0.05 }).records) {
    const r = record as Record<string, unknown>;
    if (typeof r['utr'] === 'string') utrs.push(r['utr']);
    if (typeof r['vatNumber'] === 'string') vatNumbers.push(r['vatNumber']);
    if (typeof r['postcode'] === 'string') postcodes.push(r['postcode'].replace(/\s+/g, '').toUpperCase());
  }
  return { utrs, vatNumbers, postcodes };
}

const generated = generatedValues();

/** Random digit strings of `length`. */
function digitStrings(count: number, length: number, seed: number): string[] {
  const next = draws(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => String(next.next().value % 10)).join(''));
}

// What sits on the edges of the checks: separators and spaces of several kinds, K and k, prefixes, letters, and
// digits that are not ASCII (stdnum maps full-width and Arabic-Indic digits to ASCII ones).
const TRICKY = [...' -./\t\u00a0\u2009kKgGbBxXiI0159', '١', '５', '𝟗', 'GB', 'gb', 'XI', 'xi', 'GD', 'HA', '8888', '000', '999'];

// Every check digit (UTR) or every pair of check digits (VAT) beside valid numbers: the near misses by one, the sums
// of both VAT rules (0, 55 and 42) and both sides of the "first three digits ≥ 100" condition.
const UTRS = [
  ...generated.utrs,
  ...digitStrings(2_000, 9, 3).flatMap((nine) => Array.from({ length: 10 }, (_, d) => `${d}${nine}`)),
  ...digitStrings(2_000, 9, 4).map(utrDigits),
];
const VAT_NUMBERS = [
  ...generated.vatNumbers,
  ...digitStrings(300, 7, 5).flatMap((seven, i) =>
    Array.from({ length: 100 }, (_, check) => {
      const first7 = i % 3 === 0 ? `0${seven.slice(1)}` : seven;
      return `${['GB', 'XI', ''][i % 3]}${first7}${String(check).padStart(2, '0')}${i % 5 === 0 ? '123' : ''}`;
    }),
  ),
  ...digitStrings(1_000, 7, 6).map((seven, i) => `${['GB', 'gb', 'Xi'][i % 3]}${vatDigits(seven, 55)}`),
  ...digitStrings(1_000, 7, 7).map((seven) => `0${vatDigits(seven.slice(1), 55).slice(1)}`),
  ...['GD001', 'GD499', 'GD500', 'HA500', 'HA499', 'GBGD123', 'GBHA888', 'GD888812345', 'HA888860043'],
];
const POSTCODES = [
  ...generated.postcodes,
  ...['SW1A1AA', 'EC1A1BB', 'W1A0AX', 'M11AE', 'B338TH', 'CR26XH', 'DN551PT', 'GIR0AA', 'JE24WD', 'GY11AA', 'IM11AA'],
  ...['sw1a1aa', 'Sw1A1aA', 'SW1A 1AA', 'SW1A1A', 'SW1A1AAA', 'ABC1AA', '1AA1AA', 'A1AA', 'AA11A1AA', 'É11AA'],
];

/** The shared comparison (test/helpers/fast-path-comparison.ts), judged by stdnum or the postcode library. */
const compareWithJudge = <T>(c: Omit<FastPathComparison<T>, 'judgeName'>) => compareFastPathWithJudge({ ...c, judgeName: 'library' });

const isOk = (p: Parsed) => p.ok;

const utr = {
  values: [...UTRS, ...mutations(UTRS.slice(0, 3_000), TRICKY, 10, 21)],
  generated: generated.utrs,
  fastPath: (s: string) => (isPlainValidUtr(s) ? valid(s) : undefined),
  withFallback: parseUtr,
  judge: parseUtrWithStdnum,
  accepted: isOk,
  minValues: 50_000,
  minFast: 5_000,
};

const vatNumber = {
  values: [...VAT_NUMBERS, ...mutations(VAT_NUMBERS.slice(0, 3_000), TRICKY, 10, 23)],
  generated: generated.vatNumbers,
  fastPath: (s: string) => {
    const plain = plainValidVatNumber(s);
    return plain === undefined ? undefined : valid(plain);
  },
  withFallback: parseVatNumber,
  judge: parseVatNumberWithStdnum,
  accepted: isOk,
  minValues: 50_000,
  minFast: 2_000,
};

const postcode = {
  values: [...POSTCODES, ...mutations(POSTCODES, [...TRICKY, 'A', 'Z', 'Q', 'AA', '1A', 'é', 'ß'], 10, 25)],
  generated: generated.postcodes,
  fastPath: plainUkFormat,
  withFallback: ukFormat,
  judge: libraryUkFormat,
  accepted: (answer: ReturnType<typeof libraryUkFormat>) => answer !== null,
  minValues: 20_000,
  minFast: 5_000,
};

test('every UTR the fast path accepts, stdnum accepts as it is; with the fallback the answer is always the full rule’s', () => {
  compareWithJudge(utr);
});

test('every VAT number the fast path accepts, stdnum accepts, normalised the same; with the fallback the answer is always the full rule’s', () => {
  compareWithJudge(vatNumber);
});

test('every compact postcode the fast path reads, the postcode library reads into the same parts; with the fallback the answer is always the library’s', () => {
  compareWithJudge(postcode);
});

test('the comparisons fail when a fast path is loosened', () => {
  const looseUtr = /^\d{10}$/;
  assert.throws(() => compareWithJudge({ ...utr, fastPath: (s) => (looseUtr.test(s) ? valid(s) : undefined) }), /not the library's/);
  // The 9755 and 42 sums for numbers below 100, which stdnum refuses.
  const anySum = (s: string) => plainValidVatNumber(s) ?? (/^(GB|XI)?0\d{8}$/.test(s) ? s : undefined);
  assert.throws(
    () => compareWithJudge({ ...vatNumber, fastPath: (s) => (anySum(s) === undefined ? undefined : valid(anySum(s)!)) }),
    /not the library's/,
  );
  // A lower-case prefix kept as sent: the full rule upper-cases it.
  const keptAsSent = (s: string) => (plainValidVatNumber(s.toUpperCase()) === s.toUpperCase() ? s : plainValidVatNumber(s));
  assert.throws(
    () => compareWithJudge({ ...vatNumber, fastPath: (s) => (keptAsSent(s) === undefined ? undefined : valid(keptAsSent(s)!)) }),
    /not the library's/,
  );
  const caseless = /^([A-Z]{1,2})(\d[A-Z\d]?)(\d[A-Z]{2})$/i;
  assert.throws(
    () =>
      compareWithJudge({
        ...postcode,
        fastPath: (s) => {
          const parts = caseless.exec(s);
          return parts === null ? undefined : { postcode: `${parts[1]}${parts[2]} ${parts[3]}`, area: parts[1]! };
        },
      }),
    /not the library's/,
  );
});
