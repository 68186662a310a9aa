// UK VAT registration numbers (SPEC §4 vatNumber).
//
// Source: HMRC VAT Notice 700/1 and the EU VIES format list: a country prefix — GB, or XI for a business trading
// goods under the Northern Ireland Protocol — then 9 digits, or 12 digits (9 and a 3-digit branch identifier);
// government departments are GD + 3 digits 000–499 and health authorities HA + 3 digits 500–999, without check
// digits. The 9-digit check (weights 8…2 over the first 7 digits plus the last two, modulo 97, by the original
// rule or the "9755" rule for numbers issued from 2010) is stdnum's gb.vat; the GD/HA ranges are checked here,
// since stdnum accepts any two letters with 3 digits and the GD8888 forms SPEC §4 does not list.
import { gbValidator } from './gb-stdnum.ts';
import { invalid, valid, type Parsed } from './parsed.ts';

const vat = gbValidator('vat');

const SEPARATORS_RE = /[\s.-]+/g;
const PREFIX_RE = /^(GB|XI)/;
const DIGITS_RE = /^(?:\d{9}|\d{12})$/;
const AUTHORITY_RE = /^(GD|HA)(\d{3})$/;

// stdnum's gb.vat check of a 9- or 12-digit number: the weighted sum of its first nine digits modulo 97 must be 0
// (the original rule), or 55 or 42 too ("9755", numbers issued from 2010) when the first three digits are 100 or
// more.
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 1];

/**
 * The normalised form of a VAT number written plainly (9 or 12 ASCII digits, after GB, XI or nothing) whose check
 * digits match by stdnum's rules, or undefined: such text needs no clean-up, and stdnum accepts its digits (the
 * same sum on the same digits). Why: stdnum takes ~1 µs a number (its Unicode clean-up maps every character through
 * a table), a fifth of a clients batch's checks; this takes a few nanoseconds. Anything else — separators,
 * lower case, GD/HA, wrong check digits — takes the full path and stdnum decides.
 * test/unit/identifier-fast-paths.test.ts compares the two.
 */
export function plainValidVatNumber(text: string): string | undefined {
  const prefixed = text.startsWith('GB') || text.startsWith('XI');
  const start = prefixed ? 2 : 0;
  const length = text.length - start;
  if (length !== 9 && length !== 12) return undefined;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(start + i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (i < 9) sum += digit * WEIGHTS[i]!;
  }
  sum %= 97;
  const issuedFrom100 = text.charCodeAt(start) !== 48; // the first three digits are 100 or more
  if (sum === 0 || (issuedFrom100 && (sum === 55 || sum === 42))) return prefixed ? text : `GB${text}`;
  return undefined;
}

const FORMS =
  'is not a valid UK VAT number (GB or XI, then 9 or 12 digits, or GD and 3 digits for a government department, HA and 3 digits for a health authority)';

export function parseVatNumber(text: string): Parsed {
  const plain = plainValidVatNumber(text);
  return plain !== undefined ? valid(plain) : parseVatNumberWithStdnum(text);
}

/** The rule without the fast path: every VAT number's answer is this one's (exported for the fast path's test). */
export function parseVatNumberWithStdnum(text: string): Parsed {
  const compact = text.replace(SEPARATORS_RE, '').toUpperCase();
  const prefix = PREFIX_RE.exec(compact)?.[1] ?? 'GB';
  const rest = PREFIX_RE.test(compact) ? compact.slice(2) : compact;
  if (DIGITS_RE.test(rest)) {
    return vat(rest) ? valid(prefix + rest) : invalid('is not a valid UK VAT number: its check digits do not match');
  }
  const authority = AUTHORITY_RE.exec(rest);
  if (authority) {
    const n = Number(authority[2]);
    if (authority[1] === 'GD' ? n <= 499 : n >= 500) return valid(prefix + rest);
    return invalid(
      authority[1] === 'GD'
        ? 'is not a valid UK VAT number: government department numbers run from GD000 to GD499'
        : 'is not a valid UK VAT number: health authority numbers run from HA500 to HA999',
    );
  }
  return invalid(FORMS);
}
