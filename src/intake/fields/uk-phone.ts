// A fast check for the plain spellings of UK numbers, from libphonenumber-js's own metadata for GB, compiled once.
// libphonenumber-js stays the judge: this only answers for a number it accepts too, with the same E.164 form,
// and every other input (another country, brackets, a Crown dependency's range, anything unusual) goes to it.
// Why: the library takes 10–20 µs a UK number (it builds its RegExps from the metadata on every match), the most
// expensive check of a batch; this takes well under 1 µs. test/unit/uk-phone.test.ts compares the two.
import { Metadata } from 'libphonenumber-js/max';

/** The part of the library's numbering-plan object read here (the same calls as its own getNumberType). */
interface NumberingPlan {
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

/** Every number type of the library's isValid (getNumberType's list). */
const NUMBER_TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

interface TypeCheck {
  pattern: RegExp;
  lengths: number[] | undefined;
}

function gbPlan(): { national: RegExp; types: TypeCheck[] } {
  const metadata = new Metadata() as unknown as NumberingPlan & { selectNumberingPlan(country: string): void };
  metadata.selectNumberingPlan('GB');
  const types: TypeCheck[] = [];
  for (const name of NUMBER_TYPES) {
    const type = metadata.type(name);
    if (type && type.pattern()) types.push({ pattern: new RegExp(`^(?:${type.pattern()})$`), lengths: type.possibleLengths() });
  }
  return { national: new RegExp(`^(?:${metadata.nationalNumberPattern()})$`), types };
}

const GB = gbPlan();

/** +44 or the national 0, then the national number (never starting with 0) with single spaces or hyphens. */
const PLAIN_UK = /^(?:\+44 ?|0)([1-9](?:[ -]?\d){6,9})$/;
const SEPARATORS = /[ -]/g;

/** The E.164 form of a plainly written UK number in a GB range; undefined when the library must decide. */
export function plainUkPhone(s: string): string | undefined {
  const match = PLAIN_UK.exec(s);
  if (match === null) return undefined;
  const national = match[1]!.replace(SEPARATORS, '');
  if (!GB.national.test(national)) return undefined;
  for (const type of GB.types) {
    if (type.lengths !== undefined && !type.lengths.includes(national.length)) continue;
    if (type.pattern.test(national)) return `+44${national}`;
  }
  return undefined;
}
