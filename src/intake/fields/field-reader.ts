// Reading one field of a record: its JSON type, trimming, length, characters PostgreSQL cannot store, enums, and
// the identifier rules of ../identifiers. Every reader returns the normalised value or null, and pushes its errors.
//
// - Strings are trimmed (String.prototype.trim, so Unicode spaces too); an empty string counts as absent.
//   Lengths are counted in UTF-16 code units after trimming, which is never less than the number of
//   characters PostgreSQL counts, so a value passing here also fits a varchar of the same size.
// - A string holding U+0000 or an unpaired surrogate fails its record on that field ('unstorable_character'):
//   PostgreSQL text cannot hold U+0000, and UTF-8 cannot encode a lone surrogate (SPEC §4).
// - Sensitive values (UTR, NI number, date of birth) are masked to their last 3 characters in every reason.
import type { ErrorCode, FieldError } from '../../contract/records.ts';
import type { Parsed } from '../identifiers/parsed.ts';

/** Quoted values longer than this are cut and end with '…'. */
const MAX_QUOTED_LENGTH = 60;

/**
 * Mask a sensitive value (UTR, NI number, date of birth) to its last 3 characters:
 * mask('1234567890') === '*******890'. Values of 3 characters or fewer are masked completely; very long values
 * keep at most MAX_QUOTED_LENGTH - 3 stars.
 */
export function mask(value: string): string {
  const chars = Array.from(value);
  const n = chars.length;
  if (n <= 3) return '*'.repeat(n);
  const stars = Math.min(n - 3, MAX_QUOTED_LENGTH - 3);
  return '*'.repeat(stars) + chars.slice(n - 3).join('');
}

/** A value as quoted in a reason: cut to MAX_QUOTED_LENGTH characters with '…'. */
export function quote(value: string): string {
  if (value.length <= MAX_QUOTED_LENGTH) return `'${value}'`;
  const chars = Array.from(value);
  if (chars.length <= MAX_QUOTED_LENGTH) return `'${value}'`;
  return `'${chars.slice(0, MAX_QUOTED_LENGTH).join('')}…'`;
}

export function describeJsonType(v: unknown): string {
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true/false';
  if (typeof v === 'string') return 'text';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Where a field sits, for its reasons: a label ("Postcode") and an optional place (" in client link 2"). */
export interface FieldSpec {
  readonly field: string;
  readonly label: string;
  readonly where: string;
  readonly max: number;
  readonly sensitive: boolean;
  /** Made once: a batch of empty records carries it 100,000 times, and one string each would be ~30 MB. */
  readonly requiredReason: string;
}

export function spec(field: string, label: string, max: number, sensitive = false, where = ''): FieldSpec {
  return { field, label, where, max, sensitive, requiredReason: `${label}${where} is required.` };
}

export function push(errors: FieldError[], field: string, code: ErrorCode, reason: string): void {
  errors.push({ field, code, reason });
}

export function shown(f: FieldSpec, value: string): string {
  return f.sensitive ? `'${mask(value)}'` : quote(value);
}

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first character PostgreSQL cannot store, as U+XXXX, or null. */
export function unstorableCharacter(s: string): string | null {
  if (s.includes('\u0000')) return 'U+0000';
  if (s.isWellFormed()) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const high = c >= 0xd800 && c <= 0xdbff;
    if (high && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else if (high || (c >= 0xdc00 && c <= 0xdfff)) return `U+${c.toString(16).toUpperCase()}, an unpaired surrogate`;
  }
  return null;
}

/**
 * A trimmed string of at most f.max code units; null when absent (undefined, null, '' or blanks) or invalid.
 * With `integers`, a JSON integer (≥ 0, safe) is accepted as its decimal string.
 */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function readString(errors: FieldError[], v: unknown, f: FieldSpec, required: boolean, integers = false): string | null {
  let s: string;
  if (typeof v === 'string') {
    const bad = unstorableCharacter(v);
    if (bad !== null) {
      push(errors, f.field, 'unstorable_character', `${f.label}${f.where} contains a character that cannot be stored (${bad}).`);
      return null;
    }
    s = v.trim();
  } else if (v === undefined || v === null) {
    s = '';
  } else if (integers && typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
    s = String(v);
  } else {
    push(errors, f.field, 'invalid_type', `${f.label}${f.where} must be text, but ${describeJsonType(v)} was sent.`);
    return null;
  }
  if (s.length === 0) {
    if (required) push(errors, f.field, 'required', f.requiredReason);
    return null;
  }
  // Lengths count characters (code points, as PostgreSQL does), not UTF-16 units: an emoji is one character. The
  // UTF-16 length is never below the count, so only a long string is counted.
  const length = s.length > f.max ? codePoints(s) : s.length;
  if (length > f.max) {
    push(errors, f.field, 'too_long', `${f.label}${f.where} is ${length} characters long; the maximum is ${f.max}.`);
    return null;
  }
  return s;
}

export type EnumLookup = ReadonlyMap<string, string>;

export function enumLookup(values: readonly string[]): EnumLookup {
  return new Map(values.map((v) => [v, v]));
}

/** One of `allowed` (case-insensitive), normalised to its canonical spelling. */
export function readEnum(errors: FieldError[], v: unknown, f: FieldSpec, required: boolean, lookup: EnumLookup): string | null {
  const s = readString(errors, v, f, required);
  if (s === null) return null;
  const hit = lookup.get(s) ?? lookup.get(s.toLowerCase());
  if (hit !== undefined) return hit;
  push(errors, f.field, 'invalid_value', `${f.label} ${quote(s)}${f.where} is not one of: ${[...lookup.keys()].join(', ')}.`);
  return null;
}

/**
 * An identifier (company number, VAT number, UTR, NI number): text, or a JSON integer converted to its decimal
 * string (a company number that lost its leading zeros is padded by its rule), normalised by `parse`.
 */
export function readIdentifier(
  errors: FieldError[],
  v: unknown,
  f: FieldSpec,
  code: ErrorCode,
  parse: (text: string) => Parsed,
): string | null {
  const s = readString(errors, v, f, false, true);
  if (s === null) return null;
  const parsed = parse(s);
  if (parsed.ok) return parsed.value;
  push(errors, f.field, code, `${f.label} ${shown(f, s)} ${parsed.why}.`);
  return null;
}
