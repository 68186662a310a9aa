// Calendar dates 'YYYY-MM-DD' and countries (ISO 3166-1 alpha-2, from i18n-iso-countries).
import { isValid as isValidCountry } from 'i18n-iso-countries/index.js';
import type { FieldError } from '../../contract/records.ts';
import { push, quote, readString, shown, type FieldSpec } from './field-reader.ts';

const DATE_SHAPE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
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

/** A real calendar date 'YYYY-MM-DD' (year 0001 or later). */
export function readDate(errors: FieldError[], v: unknown, f: FieldSpec, required: boolean): string | null {
  const s = readString(errors, v, f, required);
  if (s === null) return null;
  const parts = DATE_SHAPE_RE.exec(s);
  const [year, month, day] = parts ? [Number(parts[1]), Number(parts[2]), Number(parts[3])] : [0, 0, 0];
  if (year < 1 || month < 1 || month > 12 || day < 1 || !isCalendarDay(year, month, day)) {
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
