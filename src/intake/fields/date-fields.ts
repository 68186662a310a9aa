// Calendar dates 'YYYY-MM-DD' (validator's strict ISO 8601 check) and countries (ISO 3166-1 alpha-2, from
// i18n-iso-countries).
import validator from 'validator';
import { isValid as isValidCountry } from 'i18n-iso-countries/index.js';
import type { FieldError } from '../../contract/records.ts';
import { push, quote, readString, shown, type FieldSpec } from './field-reader.ts';

const ISO_DATE_OPTIONS: validator.IsISO8601Options = { strict: true, strictSeparator: true };
const DATE_SHAPE_RE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY_SHAPE_RE = /^[A-Z]{2}$/;

/** A real calendar date 'YYYY-MM-DD' (year 0001 or later). */
export function readDate(errors: FieldError[], v: unknown, f: FieldSpec, required: boolean): string | null {
  const s = readString(errors, v, f, required);
  if (s === null) return null;
  if (!DATE_SHAPE_RE.test(s) || !validator.isISO8601(s, ISO_DATE_OPTIONS) || s.startsWith('0000')) {
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
