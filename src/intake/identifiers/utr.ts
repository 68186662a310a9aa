// UK Unique Taxpayer References (SPEC §4 utr).
//
// Source: HMRC, "Find a lost UTR number" and the OECD TIN sheet for the UK: 10 digits, the first a check digit
// over the other nine (weights 6,7,8,9,10,5,4,3,2 modulo 11, as stdnum's gb.utr implements it). HMRC letters and
// online accounts also show it with a K (after it for Self Assessment, e.g. 12345 67890K), and a Corporation Tax
// payment reference adds 3 digits in front of it (the 13-digit form): spaces and a leading or trailing K are
// removed, and a 13-digit form keeps its last 10 digits.
import { gbValidator } from './gb-stdnum.ts';
import { invalid, valid, type Parsed } from './parsed.ts';

const utrCheck = gbValidator('utr');

const SPACES_RE = /\s+/g;
const K_RE = /^K|K$/g;
const TEN_RE = /^\d{10}$/;
const THIRTEEN_RE = /^\d{13}$/;

// stdnum's check digit over the last nine digits: the weighted sum modulo 11 picks the character of CHECK_DIGITS.
const WEIGHTS = [6, 7, 8, 9, 10, 5, 4, 3, 2];
const CHECK_DIGITS = '21987654321';

/**
 * True only for a UTR written plainly (10 ASCII digits) whose check digit matches: such text is its own normalised
 * form, and stdnum's gb.utr accepts it (the same sum on the same digits). Why: stdnum takes ~1 µs a UTR (its
 * Unicode clean-up maps every character through a table), a third of a clients batch's checks; this takes a few
 * nanoseconds. Anything else — spaced, with a K, 13 digits, a wrong check digit — takes the full path and stdnum
 * decides. test/unit/identifier-fast-paths.test.ts compares the two.
 */
export function isPlainValidUtr(text: string): boolean {
  if (text.length !== 10) return false;
  let sum = 0;
  for (let i = 1; i < 10; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    sum += digit * WEIGHTS[i - 1]!;
  }
  return text.charCodeAt(0) === CHECK_DIGITS.charCodeAt(sum % 11);
}

export function parseUtr(text: string): Parsed {
  return isPlainValidUtr(text) ? valid(text) : parseUtrWithStdnum(text);
}

/** The rule without the fast path: every UTR's answer is this one's (exported for the fast path's test). */
export function parseUtrWithStdnum(text: string): Parsed {
  const compact = text.replace(SPACES_RE, '').toUpperCase().replace(K_RE, '');
  const digits = THIRTEEN_RE.test(compact) ? compact.slice(3) : compact;
  if (!TEN_RE.test(digits)) return invalid('is not a valid Unique Taxpayer Reference (10 digits)');
  return utrCheck(digits) ? valid(digits) : invalid('is not a valid Unique Taxpayer Reference: its check digit does not match');
}
