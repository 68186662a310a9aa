// Email addresses, phone numbers and websites, checked with well-kept libraries (SPEC §4): validator for emails
// and web addresses, libphonenumber-js (its "max" metadata: real number ranges) for phones.
// - email: the domain is lower-cased, the local part kept (it may be case-sensitive).
// - phone: parsed with GB as the default country (national UK numbers may omit +44, others need +country),
//   normalised to E.164.
// - website: kept as sent (trimmed); a missing protocol is allowed, only http/https are accepted.
import validator from 'validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldError } from '../../contract/records.ts';
import { push, quote, readString, type FieldSpec } from './field-reader.ts';
import { plainUkPhone } from './uk-phone.ts';

const { isEmail, isURL } = validator;

export const EMAIL_OPTIONS: validator.IsEmailOptions = { require_tld: true, allow_display_name: false };
export const URL_OPTIONS: validator.IsURLOptions = {
  protocols: ['http', 'https'],
  require_tld: true,
  require_protocol: false,
  require_host: true,
  allow_underscores: false,
};

// Fast paths in front of validator (its isEmail and isURL are a third of a clients batch's checks: 4–6 µs a client,
// most of it isByteLength's encodeURI and isFQDN's split and RegExps per label). Each RegExp matches only what
// validator certainly accepts with the options above — plain ASCII: dot-atoms of its own local-part characters,
// host labels of letters, digits and inner hyphens (≤ 63), a TLD of letters — and the lengths are checked with it
// (ASCII, so characters are bytes); everything else, valid or not, goes to validator, so the answer is always
// validator's. test/unit/contact-fast-paths.test.ts compares the two.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const HOST = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}';
const PLAIN_EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${HOST}$`);
/** Longest email validator takes (its defaultMaxEmailLength) and longest local part (bytes). */
const MAX_EMAIL = 254;
const MAX_LOCAL_PART = 64;
// An optional http(s)://, the host, then nothing or a path, query or fragment of printable ASCII without < or >
// (validator cuts the URL at the first #, ?, then /, so the host is exactly what the RegExp matched: no port, no
// user, no IP address).
const PLAIN_URL = new RegExp(`^(?:https?://)?${HOST}(?:[/?#][!-;=?-~]*)?$`);
/** validator's max_allowed_length. */
const MAX_URL = 2084;

/** validator's isEmail with EMAIL_OPTIONS, answered without it for plain addresses. */
export function isEmailAddress(s: string): boolean {
  return isPlainEmail(s) || isEmail(s, EMAIL_OPTIONS);
}

/** True only for addresses validator accepts (the fast path alone, exported for its test). */
export function isPlainEmail(s: string): boolean {
  return s.length <= MAX_EMAIL && PLAIN_EMAIL.test(s) && s.indexOf('@') <= MAX_LOCAL_PART;
}

/** validator's isURL with URL_OPTIONS, answered without it for plain web addresses. */
export function isWebAddress(s: string): boolean {
  return isPlainWebAddress(s) || isURL(s, URL_OPTIONS);
}

/** True only for web addresses validator accepts (the fast path alone, exported for its test). */
export function isPlainWebAddress(s: string): boolean {
  return s.length <= MAX_URL && PLAIN_URL.test(s);
}

export function readEmail(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false);
  if (s === null) return null;
  if (!isEmailAddress(s)) {
    push(errors, f.field, 'invalid_email', `${f.label} ${quote(s)} is not valid.`);
    return null;
  }
  const at = s.lastIndexOf('@');
  return s.slice(0, at + 1) + s.slice(at + 1).toLowerCase();
}

// libphonenumber-js is by far the slowest check (~15 µs for a UK number: +44 is shared by GB, GG, IM and JE, and
// the library builds a RegExp from its metadata on every match). Plainly written UK numbers are answered from its
// GB metadata compiled once (uk-phone.ts); for the others, results depend only on the input text, so the last
// PHONE_CACHE_SIZE distinct inputs are remembered: contacts often repeat their client's switchboard number.
const PHONE_CACHE_SIZE = 10_000;
const phoneCache = new Map<string, string | null>();

/** E.164 form of a phone number (national UK numbers allowed), or null when not valid. */
function normalisePhone(s: string): string | null {
  const plain = plainUkPhone(s);
  if (plain !== undefined) return plain;
  const cached = phoneCache.get(s);
  if (cached !== undefined) return cached;
  const phone = parsePhoneNumberFromString(s, 'GB');
  const result = phone !== undefined && phone.isValid() ? phone.number : null;
  if (phoneCache.size >= PHONE_CACHE_SIZE) phoneCache.clear();
  phoneCache.set(s, result);
  return result;
}

export function readPhone(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false);
  if (s === null) return null;
  const e164 = normalisePhone(s);
  if (e164 === null) {
    push(
      errors,
      f.field,
      'invalid_phone',
      `${f.label} ${quote(s)} is not a valid phone number (UK numbers may leave out +44; other countries need their + code).`,
    );
    return null;
  }
  return e164;
}

export function readWebsite(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false);
  if (s === null) return null;
  if (!isWebAddress(s)) {
    push(errors, f.field, 'invalid_url', `${f.label} ${quote(s)} is not a valid web address.`);
    return null;
  }
  return s;
}
