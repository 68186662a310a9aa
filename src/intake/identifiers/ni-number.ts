// UK National Insurance numbers (SPEC §4 niNumber).
//
// Source: HMRC National Insurance Manual NIM39110: two prefix letters, six digits and a suffix A, B, C or D
// (left out when not known); neither prefix letter is D, F, I, Q, U or V, the second is not O, and the prefixes
// BG, GB, KN, NK, NT, TN and ZZ are not allocated. stdnum's gb.nino implements exactly these rules.
// Normalised upper-case without spaces (HMRC prints "QQ 12 34 56 C").
import { gbValidator } from './gb-stdnum.ts';
import { invalid, valid, type Parsed } from './parsed.ts';

const nino = gbValidator('nino');

const SEPARATORS_RE = /[\s.-]+/g;
const SHAPE_RE = /^[A-Z]{2}\d{6}[A-D]?$/;

export function parseNiNumber(text: string): Parsed {
  const compact = text.replace(SEPARATORS_RE, '').toUpperCase();
  if (!SHAPE_RE.test(compact)) {
    return invalid('is not a valid National Insurance number (2 letters, 6 digits and an optional letter A–D)');
  }
  return nino(compact) ? valid(compact) : invalid('is not a valid National Insurance number: HMRC never issues that prefix');
}
