// Field-level validation and normalisation of one imported record (SPEC §4), with the error reasons of SPEC §6.
//
// Each checker takes whatever JSON.parse produced for one element of a batch's `records` array and returns
// every failing field at once (not only the first) together with the normalised values: each value is the
// normalised form when valid, `null` when absent or invalid.
//
// Decisions worth knowing:
// - Strings are trimmed (String.prototype.trim, so Unicode spaces too); an empty string counts as absent.
//   Lengths are counted in UTF-16 code units after trimming, which is never less than the number of
//   characters PostgreSQL counts, so a value passing here also fits a varchar of the same size.
// - Strings containing U+0000 are refused ('invalid_value'): PostgreSQL text cannot store them.
// - Refs, names and the other free-text fields must be JSON strings. For the digit identifiers companyNumber,
//   vatNumber and utr a JSON integer is also accepted and converted to its decimal string (a number that lost a
//   leading zero then fails the normal length check, with a hint). Phone numbers must be strings: as numbers
//   they lose their leading 0 or +.
// - Enum values (clientType, role, kind, owner.type) are trimmed and matched case-insensitively, normalised to
//   the lower-case spelling of records.ts.
// - vatNumber: the "GB" prefix is optional on input (spaces and hyphens allowed); normalised to "GB" + digits.
//   Only the 9- and 12-digit forms of SPEC §4 are accepted (not the GD/HA government forms stdnum also knows).
// - phone: parsed with GB as the default country (national UK numbers may omit +44, others need +country).
// - website: kept as sent (trimmed); a missing protocol is allowed, only http/https are accepted.
// - contact.clients: more than MAX_CLIENT_LINKS links → one 'too_long' error on `clients` and no per-link
//   checks (values.clients is then []). Otherwise values.clients has one entry per element (index = field path
//   index). The same (ref, role) pair twice is not an error here; de-duplicate when writing links.
// - Sensitive values (UTR, date of birth) are masked to their last 3 characters in every reason.

import validator from 'validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isValid as isValidPostcode, toNormalised as toNormalisedPostcode } from 'postcode';
import { isValid as isValidCountry } from 'i18n-iso-countries/index.js';
import { stdnum } from 'stdnum';
import { ADDRESS_KINDS, CLIENT_TYPES, CONTACT_ROLES, OWNER_TYPES } from '../contract/records.ts';
import type {
  AddressValues,
  Checked,
  ClientValues,
  ContactLinkValues,
  ContactValues,
  ErrorCode,
  FieldError,
  RecordType,
  ValuesByType,
} from '../contract/records.ts';

// ---------------------------------------------------------------------------------------------------------------
// Limits

export const MAX_REF_LENGTH = 64;
export const MAX_TEXT_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_WEBSITE_LENGTH = 2048;
export const MAX_PHONE_LENGTH = 40;
/** Raw length cap for identifiers (company / VAT / UTR) before normalisation; the real checks are stricter. */
const MAX_IDENTIFIER_LENGTH = 32;
export const MAX_POSTCODE_LENGTH = 16;
export const MAX_CLIENT_LINKS = 100;
/** Quoted values longer than this are cut and end with '…'. */
const MAX_QUOTED_LENGTH = 60;

// ---------------------------------------------------------------------------------------------------------------
// Libraries, resolved once

const { isEmail, isURL, isISO8601 } = validator;

const gbValidators = stdnum['GB'];
const gbVat = gbValidators?.['vat'];
const gbUtr = gbValidators?.['utr'];
if (!gbVat || !gbUtr) throw new Error('stdnum: GB vat/utr validators not found');
const vatValidator = gbVat;
const utrValidator = gbUtr;

const EMAIL_OPTIONS: validator.IsEmailOptions = { require_tld: true, allow_display_name: false };
const URL_OPTIONS: validator.IsURLOptions = {
  protocols: ['http', 'https'],
  require_tld: true,
  require_protocol: false,
  require_host: true,
  allow_underscores: false,
};
const ISO_DATE_OPTIONS: validator.IsISO8601Options = { strict: true, strictSeparator: true };

const WHITESPACE_RE = /\s+/g;
const VAT_SEPARATORS_RE = /[\s-]+/g;
const DATE_SHAPE_RE = /^\d{4}-\d{2}-\d{2}$/;
const COMPANY_NUMBER_RE = /^(?:\d{8}|[A-Z]{2}\d{6})$/;
const SHORT_NUMERIC_RE = /^\d{1,7}$/;
const VAT_DIGITS_RE = /^(?:\d{9}|\d{12})$/;
const UTR_DIGITS_RE = /^\d{10}$/;
const COUNTRY_SHAPE_RE = /^[A-Z]{2}$/;

// ---------------------------------------------------------------------------------------------------------------
// Reasons

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

function describeJsonType(v: unknown): string {
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true/false';
  if (typeof v === 'string') return 'text';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function allowedList(values: readonly string[]): string {
  return values.join(', ');
}

/** Where a field sits, for its reasons: a label ("Postcode") and an optional place (" in client link 2"). */
interface FieldSpec {
  readonly field: string;
  readonly label: string;
  readonly where: string;
  readonly max: number;
  readonly sensitive: boolean;
}

function spec(field: string, label: string, max: number, sensitive = false, where = ''): FieldSpec {
  return { field, label, where, max, sensitive };
}

function push(errors: FieldError[], field: string, code: ErrorCode, reason: string): void {
  errors.push({ field, code, reason });
}

function shown(f: FieldSpec, value: string): string {
  return f.sensitive ? `'${mask(value)}'` : quote(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Primitive readers. Each returns the normalised value or null, and pushes its errors.

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A trimmed string of at most f.max code units; null when absent (undefined, null, '' or blanks) or invalid.
 * With `integers`, a JSON integer (≥ 0, safe) is accepted as its decimal string.
 */
function readString(errors: FieldError[], v: unknown, f: FieldSpec, required: boolean, integers = false): string | null {
  let s: string;
  if (typeof v === 'string') {
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
    if (required) push(errors, f.field, 'required', `${f.label}${f.where} is required.`);
    return null;
  }
  if (s.length > f.max) {
    push(errors, f.field, 'too_long', `${f.label}${f.where} is ${s.length} characters long; the maximum is ${f.max}.`);
    return null;
  }
  if (s.indexOf('\u0000') !== -1) {
    push(errors, f.field, 'invalid_value', `${f.label}${f.where} contains a NUL character, which cannot be stored.`);
    return null;
  }
  return s;
}

/** One of `allowed` (case-insensitive), normalised to its canonical spelling. */
function readEnum(
  errors: FieldError[],
  v: unknown,
  f: FieldSpec,
  required: boolean,
  lookup: ReadonlyMap<string, string>,
  allowedText: string,
): string | null {
  const s = readString(errors, v, f, required);
  if (s === null) return null;
  const hit = lookup.get(s) ?? lookup.get(s.toLowerCase());
  if (hit !== undefined) return hit;
  push(errors, f.field, 'invalid_value', `${f.label} ${quote(s)}${f.where} is not one of: ${allowedText}.`);
  return null;
}

function enumLookup(values: readonly string[]): ReadonlyMap<string, string> {
  return new Map(values.map((v) => [v, v]));
}

const CLIENT_TYPE_LOOKUP = enumLookup(CLIENT_TYPES);
const CLIENT_TYPE_TEXT = allowedList(CLIENT_TYPES);
const ROLE_LOOKUP = enumLookup(CONTACT_ROLES);
const ROLE_TEXT = allowedList(CONTACT_ROLES);
const KIND_LOOKUP = enumLookup(ADDRESS_KINDS);
const KIND_TEXT = allowedList(ADDRESS_KINDS);
const OWNER_TYPE_LOOKUP = enumLookup(OWNER_TYPES);
const OWNER_TYPE_TEXT = allowedList(OWNER_TYPES);

function readEmail(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false);
  if (s === null) return null;
  if (!isEmail(s, EMAIL_OPTIONS)) {
    push(errors, f.field, 'invalid_email', `${f.label} ${quote(s)} is not valid.`);
    return null;
  }
  const at = s.lastIndexOf('@');
  return s.slice(0, at + 1) + s.slice(at + 1).toLowerCase();
}

// libphonenumber-js is by far the slowest check (~15 µs for a UK number: +44 is shared by GB, GG, IM and JE, and
// the library builds a RegExp from its metadata on every match). Results depend only on the input text, so the
// last PHONE_CACHE_SIZE distinct inputs are remembered: contacts often repeat their client's switchboard number.
const PHONE_CACHE_SIZE = 10_000;
const phoneCache = new Map<string, string | null>();

/** E.164 form of a phone number (national UK numbers allowed), or null when not valid. */
function normalisePhone(s: string): string | null {
  const cached = phoneCache.get(s);
  if (cached !== undefined) return cached;
  const phone = parsePhoneNumberFromString(s, 'GB');
  const result = phone !== undefined && phone.isValid() ? phone.number : null;
  if (phoneCache.size >= PHONE_CACHE_SIZE) phoneCache.clear();
  phoneCache.set(s, result);
  return result;
}

function readPhone(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
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

function readWebsite(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false);
  if (s === null) return null;
  if (!isURL(s, URL_OPTIONS)) {
    push(errors, f.field, 'invalid_url', `${f.label} ${quote(s)} is not a valid web address.`);
    return null;
  }
  return s;
}

function readCompanyNumber(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false, true);
  if (s === null) return null;
  const n = s.replace(WHITESPACE_RE, '').toUpperCase();
  if (COMPANY_NUMBER_RE.test(n)) return n;
  const hint = SHORT_NUMERIC_RE.test(n) ? ' Company numbers have 8 characters: keep the leading zeros, e.g. 01234567.' : '';
  push(
    errors,
    f.field,
    'invalid_company_number',
    `${f.label} ${quote(s)} is not a valid Companies House number (8 digits, or 2 letters and 6 digits).${hint}`,
  );
  return null;
}

function readVatNumber(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false, true);
  if (s === null) return null;
  let n = s.replace(VAT_SEPARATORS_RE, '').toUpperCase();
  if (n.startsWith('GB')) n = n.slice(2);
  if (!VAT_DIGITS_RE.test(n)) {
    push(errors, f.field, 'invalid_vat_number', `${f.label} ${quote(s)} is not a valid UK VAT number (GB followed by 9 or 12 digits).`);
    return null;
  }
  if (!vatValidator.validate(n).isValid) {
    push(errors, f.field, 'invalid_vat_number', `${f.label} ${quote(s)} is not a valid UK VAT number: its check digits do not match.`);
    return null;
  }
  return 'GB' + n;
}

function readUtr(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false, true);
  if (s === null) return null;
  const n = s.replace(WHITESPACE_RE, '');
  if (UTR_DIGITS_RE.test(n) && utrValidator.validate(n).isValid) return n;
  const detail = UTR_DIGITS_RE.test(n) ? ': its check digit does not match' : ' (10 digits)';
  push(errors, f.field, 'invalid_utr', `${f.label} ${shown(f, s)} is not a valid Unique Taxpayer Reference${detail}.`);
  return null;
}

/** A real calendar date 'YYYY-MM-DD' (year 0001 or later). */
function readDate(errors: FieldError[], v: unknown, f: FieldSpec, required: boolean): string | null {
  const s = readString(errors, v, f, required);
  if (s === null) return null;
  if (!DATE_SHAPE_RE.test(s) || !isISO8601(s, ISO_DATE_OPTIONS) || s.startsWith('0000')) {
    push(errors, f.field, 'invalid_date', `${f.label} ${shown(f, s)} is not a real date in the form YYYY-MM-DD.`);
    return null;
  }
  return s;
}

// Today's date (UTC) as 'YYYY-MM-DD', recomputed when the UTC day changes.
let todayText = '';
let todayEndsAt = 0;
function todayUtc(): string {
  const now = Date.now();
  if (now >= todayEndsAt) {
    const d = new Date(now);
    todayText = d.toISOString().slice(0, 10);
    todayEndsAt = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  }
  return todayText;
}

// ---------------------------------------------------------------------------------------------------------------
// Field specs, built once

const F = {
  ref: spec('ref', 'Ref', MAX_REF_LENGTH),
  clientReference: spec('clientReference', 'Client reference', MAX_TEXT_LENGTH),
  name: spec('name', 'Name', MAX_TEXT_LENGTH),
  clientType: spec('clientType', 'Client type', MAX_TEXT_LENGTH),
  companyNumber: spec('companyNumber', 'Company number', MAX_IDENTIFIER_LENGTH),
  vatNumber: spec('vatNumber', 'VAT number', MAX_IDENTIFIER_LENGTH),
  utr: spec('utr', 'UTR', MAX_IDENTIFIER_LENGTH, true),
  email: spec('email', 'Email address', MAX_EMAIL_LENGTH),
  phone: spec('phone', 'Phone number', MAX_PHONE_LENGTH),
  website: spec('website', 'Website', MAX_WEBSITE_LENGTH),
  title: spec('title', 'Title', MAX_TEXT_LENGTH),
  firstName: spec('firstName', 'First name', MAX_TEXT_LENGTH),
  lastName: spec('lastName', 'Last name', MAX_TEXT_LENGTH),
  dateOfBirth: spec('dateOfBirth', 'Date of birth', MAX_TEXT_LENGTH, true),
  ownerType: spec('owner.type', 'Owner type', MAX_TEXT_LENGTH),
  ownerRef: spec('owner.ref', 'Owner ref', MAX_REF_LENGTH),
  kind: spec('kind', 'Address kind', MAX_TEXT_LENGTH),
  line1: spec('line1', 'Address line 1', MAX_TEXT_LENGTH),
  line2: spec('line2', 'Address line 2', MAX_TEXT_LENGTH),
  town: spec('town', 'Town', MAX_TEXT_LENGTH),
  county: spec('county', 'County', MAX_TEXT_LENGTH),
  postcode: spec('postcode', 'Postcode', MAX_POSTCODE_LENGTH),
  country: spec('country', 'Country', MAX_TEXT_LENGTH),
  from: spec('from', 'Start date', MAX_TEXT_LENGTH),
  to: spec('to', 'End date', MAX_TEXT_LENGTH),
} as const;

interface LinkSpecs {
  readonly ref: FieldSpec;
  readonly role: FieldSpec;
  readonly item: string;
  readonly where: string;
}

const LINK_SPECS: readonly LinkSpecs[] = Array.from({ length: MAX_CLIENT_LINKS }, (_, i) => {
  const where = ` in client link ${i + 1}`;
  return {
    ref: spec(`clients[${i}].ref`, 'Client ref', MAX_REF_LENGTH, false, where),
    role: spec(`clients[${i}].role`, 'Role', MAX_TEXT_LENGTH, false, where),
    item: `clients[${i}]`,
    where,
  };
});

const NOT_AN_OBJECT_REASON = 'The record is not a JSON object.';

function notAnObject(): FieldError[] {
  return [{ field: '', code: 'not_an_object', reason: NOT_AN_OBJECT_REASON }];
}

// ---------------------------------------------------------------------------------------------------------------
// Checkers

export function checkClient(raw: unknown): Checked<ClientValues> {
  if (!isObject(raw)) {
    return {
      values: {
        ref: null,
        clientReference: null,
        name: null,
        clientType: null,
        companyNumber: null,
        vatNumber: null,
        utr: null,
        email: null,
        phone: null,
        website: null,
      },
      errors: notAnObject(),
    };
  }
  const errors: FieldError[] = [];
  const values: ClientValues = {
    ref: readString(errors, raw['ref'], F.ref, true),
    clientReference: readString(errors, raw['clientReference'], F.clientReference, true),
    name: readString(errors, raw['name'], F.name, true),
    clientType: readEnum(errors, raw['clientType'], F.clientType, true, CLIENT_TYPE_LOOKUP, CLIENT_TYPE_TEXT),
    companyNumber: readCompanyNumber(errors, raw['companyNumber'], F.companyNumber),
    vatNumber: readVatNumber(errors, raw['vatNumber'], F.vatNumber),
    utr: readUtr(errors, raw['utr'], F.utr),
    email: readEmail(errors, raw['email'], F.email),
    phone: readPhone(errors, raw['phone'], F.phone),
    website: readWebsite(errors, raw['website'], F.website),
  };
  return { values, errors };
}

function readClientLinks(errors: FieldError[], v: unknown): ContactLinkValues[] {
  if (v === undefined || v === null) {
    push(errors, 'clients', 'required', 'Clients is required: a contact must be linked to at least one client.');
    return [];
  }
  if (!Array.isArray(v)) {
    push(errors, 'clients', 'invalid_type', `Clients must be a list of {ref, role} links, but ${describeJsonType(v)} was sent.`);
    return [];
  }
  const n = v.length;
  if (n === 0) {
    push(errors, 'clients', 'empty_list', 'Clients is empty: a contact must be linked to at least one client.');
    return [];
  }
  if (n > MAX_CLIENT_LINKS) {
    push(errors, 'clients', 'too_long', `Clients has ${n} links; the maximum is ${MAX_CLIENT_LINKS}.`);
    return [];
  }
  const links: ContactLinkValues[] = new Array<ContactLinkValues>(n);
  for (let i = 0; i < n; i++) {
    const specs = LINK_SPECS[i]!;
    const item: unknown = v[i];
    if (!isObject(item)) {
      push(
        errors,
        specs.item,
        'invalid_type',
        `Client link ${i + 1} must be an object with a ref and a role, but ${describeJsonType(item)} was sent.`,
      );
      links[i] = { ref: null, role: null };
      continue;
    }
    links[i] = {
      ref: readString(errors, item['ref'], specs.ref, true),
      role: readEnum(errors, item['role'], specs.role, true, ROLE_LOOKUP, ROLE_TEXT),
    };
  }
  return links;
}

export function checkContact(raw: unknown): Checked<ContactValues> {
  if (!isObject(raw)) {
    return {
      values: {
        ref: null,
        title: null,
        firstName: null,
        lastName: null,
        email: null,
        phone: null,
        dateOfBirth: null,
        clients: [],
      },
      errors: notAnObject(),
    };
  }
  const errors: FieldError[] = [];
  const ref = readString(errors, raw['ref'], F.ref, true);
  const title = readString(errors, raw['title'], F.title, false);
  const firstName = readString(errors, raw['firstName'], F.firstName, false);
  const lastName = readString(errors, raw['lastName'], F.lastName, true);
  const email = readEmail(errors, raw['email'], F.email);
  const phone = readPhone(errors, raw['phone'], F.phone);
  let dateOfBirth = readDate(errors, raw['dateOfBirth'], F.dateOfBirth, false);
  if (dateOfBirth !== null && dateOfBirth >= todayUtc()) {
    push(
      errors,
      F.dateOfBirth.field,
      'date_not_in_past',
      `${F.dateOfBirth.label} ${shown(F.dateOfBirth, dateOfBirth)} is not in the past.`,
    );
    dateOfBirth = null;
  }
  const clients = readClientLinks(errors, raw['clients']);
  return { values: { ref, title, firstName, lastName, email, phone, dateOfBirth, clients }, errors };
}

function readCountry(errors: FieldError[], v: unknown, f: FieldSpec): string | null {
  const s = readString(errors, v, f, false);
  if (s === null) return null;
  const c = s.toUpperCase();
  if (COUNTRY_SHAPE_RE.test(c) && isValidCountry(c)) return c;
  push(errors, f.field, 'invalid_country', `${f.label} ${quote(s)} is not a valid two-letter ISO 3166-1 country code (e.g. GB, IE, FR).`);
  return null;
}

export function checkAddress(raw: unknown): Checked<AddressValues> {
  if (!isObject(raw)) {
    return {
      values: {
        ref: null,
        ownerType: null,
        ownerRef: null,
        kind: null,
        line1: null,
        line2: null,
        town: null,
        county: null,
        postcode: null,
        country: null,
        from: null,
        to: null,
      },
      errors: notAnObject(),
    };
  }
  const errors: FieldError[] = [];
  const ref = readString(errors, raw['ref'], F.ref, true);

  let ownerType: string | null = null;
  let ownerRef: string | null = null;
  const owner = raw['owner'];
  if (owner === undefined || owner === null) {
    push(errors, 'owner', 'required', 'Owner is required: the client or contact this address belongs to.');
  } else if (!isObject(owner)) {
    push(errors, 'owner', 'invalid_type', `Owner must be an object with a type and a ref, but ${describeJsonType(owner)} was sent.`);
  } else {
    ownerType = readEnum(errors, owner['type'], F.ownerType, true, OWNER_TYPE_LOOKUP, OWNER_TYPE_TEXT);
    ownerRef = readString(errors, owner['ref'], F.ownerRef, true);
  }

  const kind = readEnum(errors, raw['kind'], F.kind, false, KIND_LOOKUP, KIND_TEXT);
  const line1 = readString(errors, raw['line1'], F.line1, true);
  const line2 = readString(errors, raw['line2'], F.line2, false);
  const town = readString(errors, raw['town'], F.town, true);
  const county = readString(errors, raw['county'], F.county, false);

  // Country first: it decides how the postcode is checked. Absent → GB; invalid → null (postcode then only
  // length-checked, since its country is unknown).
  const rawCountry = raw['country'];
  const countryErrors = errors.length;
  let country = readCountry(errors, rawCountry, F.country);
  if (country === null && errors.length === countryErrors) country = 'GB';

  let postcode = readString(errors, raw['postcode'], F.postcode, true);
  if (postcode !== null && country === 'GB') {
    const compact = postcode.replace(WHITESPACE_RE, '');
    const normalised = isValidPostcode(compact) ? toNormalisedPostcode(compact) : null;
    if (normalised === null) {
      push(errors, F.postcode.field, 'invalid_postcode', `${F.postcode.label} ${quote(postcode)} is not a valid UK postcode.`);
    }
    postcode = normalised;
  }

  const from = readDate(errors, raw['from'], F.from, true);
  let to = readDate(errors, raw['to'], F.to, false);
  if (from !== null && to !== null && to < from) {
    push(errors, F.to.field, 'date_range', `The end date ${to} is before the start date ${from}.`);
    to = null;
  }

  return {
    values: { ref, ownerType, ownerRef, kind, line1, line2, town, county, postcode, country, from, to },
    errors,
  };
}

export const checkers: { [T in RecordType]: (raw: unknown) => Checked<ValuesByType[T]> } = {
  clients: checkClient,
  contacts: checkContact,
  addresses: checkAddress,
};
