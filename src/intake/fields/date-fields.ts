// Calendar dates 'YYYY-MM-DD' and countries (ISO 3166-1 alpha-2, from i18n-iso-countries).
import { isValid as isValidCountry } from 'i18n-iso-countries/index.js';
import type { FieldError } from '../../contract/records.ts';
import { push, quote, readString, shown, type FieldSpec } from './field-reader.ts';

const COUNTRY_SHAPE_RE = /^[A-Z]{2}$/;

/**
 * Whether year-month-day is a day of the proleptic Gregorian calendar (PostgreSQL's `date`). Built with
 * setUTCFullYear, because Date.UTC and the ISO 8601 checks built on it read years 0–99 as 1900–1999.
 */
function isCalendarDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The number written by the ASCII digits of s[start, end), or -1 if one of them is not a digit. */
function digitsAt(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Whether s is a real calendar date 'YYYY-MM-DD' (year 0001 or later). Read digit by digit, and the calendar (a Date
 * object, ~0.5 µs) asked only for the 29th, 30th and 31st: every month has 28 days. Why: two dates an address, one a
 * contact, were a quarter of their batches' checks. test/unit/date-fields.test.ts compares it with a Date for
 * every day of the years whose rules differ.
 */
export function isDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d) return false;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 7);
  const day = digitsAt(s, 8, 10);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= 28 || isCalendarDay(year, month, day);
}

/** A real calendar date 'YYYY-MM-DD' (year 0001 or later). */
export function readDate(errors: FieldError[], v: unknown, f: FieldSpec, required: boolean): string | null {
  const s = readString(errors, v, f, required);
  if (s === null) return null;
  if (!isDate(s)) {
    push(errors, f.field, 'invalid_date', `${f.label} ${shown(f, s)} is not a real date in the form YYYY-MM-DD.`);
    return null;
  }
  return s;
}

// Today's date (UTC) as 'YYYY-MM-DD', recomputed when the UTC day changes.
let todayText = '';
let todayEndsAt = 0;
export function todayUtc(): string {
  const now = Date.now();
  if (now >= todayEndsAt) {
    const d = new Date(now);
    todayText = d.toISOString().slice(0, 10);
    todayEndsAt = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  }
  return todayText;
}

export function readCountry(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false);
  if (s === null) return null;
  const c = s.toUpperCase();
  if (COUNTRY_SHAPE_RE.test(c) && isValidCountry(c)) return c;
  push(errors, f.field, 'invalid_country', `${f.label} ${quote(s)} is not a valid two-letter ISO 3166-1 country code (e.g. GB, IE, FR).`);
  return null;
}
