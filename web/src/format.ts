// How values read on screen: dates, durations, counts, and the words for the API's codes.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Actor, Import, RecordType } from './api.ts';

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const number = new Intl.NumberFormat('en-GB');

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
/** A calendar date (`YYYY-MM-DD`), shown without time-zone shifts. */
export const formatDate = (day: string) => dateOnly.format(new Date(`${day}T00:00:00Z`));
export const formatNumber = (n: number) => number.format(n);
/** A stored E.164 phone number as people write it: UK (+44) numbers in national format, "020 7946 0956"; others international. */
export function formatPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  return phone.countryCallingCode === '44' ? phone.formatNational() : phone.formatInternational();
}

/** A website as the source sent it (the protocol may be missing) as a link target. */
export const websiteHref = (site: string) => (/^https?:\/\//i.test(site) ? site : `https://${site}`);

export const formatPercent = (fraction: number) => `${Math.floor(fraction * 100)} %`;

export function formatDuration(ms: number): string {
  if (ms < 1000) return 'under a second';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const RECORD_TYPE_LABELS: Record<RecordType, string> = { clients: 'Clients', contacts: 'Contacts', addresses: 'Address histories' };

const PHASES: Record<string, string> = {
  receiving: 'Receiving batches',
  queued: 'Queued',
  checking: 'Checking records and links',
  committing: 'Importing records',
  finalising: 'Finishing the summary',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
export const phaseLabel = (phase: string) => PHASES[phase] ?? phase;

/** `limited_company` → `Limited company`. */
export const codeLabel = (code: string) => (code.charAt(0).toUpperCase() + code.slice(1)).replaceAll('_', ' ');

export const SOURCE_LABELS: Record<string, string> = { brightmanager: 'BrightManager', brightbooks: 'BrightBooks', brightap: 'BrightAP' };
export const sourceLabel = (source: string) => SOURCE_LABELS[source] ?? source;

/** How a source link was made (SPEC §9 `matchedBy`), as words. */
const MATCHED_BY: Record<string, string> = {
  new: 'New record',
  company_number: 'Same company number',
  utr: 'Same UTR',
  vat_number: 'Same VAT number',
  name_and_email: 'Same name and email',
  name_and_phone: 'Same name and phone',
  name_and_date_of_birth: 'Same name and date of birth',
  name_and_ni_number: 'Same name and NI number',
  same_address: 'Same address',
  review: 'Merged by review',
  split: 'Split',
};
export const matchedByLabel = (how: string) =>
  MATCHED_BY[how] ?? (how.startsWith('name_and_') ? 'Same name and contact details' : codeLabel(how));

/** The record fields a source's values and a review item's evidence name, as the detail pages label them. */
const FIELD_LABELS: Record<string, string> = {
  clientReference: 'Client reference',
  name: 'Name',
  clientType: 'Type',
  companyNumber: 'Company number',
  vatNumber: 'VAT number',
  utr: 'UTR',
  email: 'Email',
  phone: 'Phone',
  website: 'Website',
  title: 'Title',
  firstName: 'First name',
  lastName: 'Last name',
  dateOfBirth: 'Date of birth',
  niNumber: 'NI number',
};
/** Fields in the order the detail pages show them (a JSON object's own key order is the database's, not ours). */
export const inFieldOrder = (fields: string[]) => {
  const order = Object.keys(FIELD_LABELS);
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return [...fields].sort((a, b) => rank(a) - rank(b));
};
export const fieldLabel = (field: string) => FIELD_LABELS[field] ?? codeLabel(field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/** A field's value as the detail pages show it (phone numbers readable, codes in words, dates in full). */
export function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (field === 'phone') return formatPhone(text);
  if (field === 'clientType') return codeLabel(text);
  if (field === 'dateOfBirth' && /^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text);
  return text;
}

/** A review item's kind (SPEC §9), as words. */
export const MATCH_KIND_LABELS: Record<string, string> = {
  conflict: 'Conflicting identifiers',
  possible_match: 'Possible match',
  same_source: 'Same product twice',
};
export const matchKindLabel = (kind: string) => MATCH_KIND_LABELS[kind] ?? codeLabel(kind);

export function totals(imp: Import): { received: number; imported: number; failed: number; skipped: number } {
  const sum = { received: 0, imported: 0, failed: 0, skipped: 0 };
  for (const c of Object.values(imp.counts)) {
    sum.received += c.received;
    sum.imported += c.imported;
    sum.failed += c.failed;
    sum.skipped += c.skipped;
  }
  return sum;
}

export const requestedCount = (imp: Import) => (imp.requested ? Object.values(imp.requested).reduce((n, refs) => n + refs.length, 0) : 0);

export const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** Import, retry, activation, or a dry run of any (which wrote nothing): what kind of import this is. */
export const kindLabel = (imp: Import) =>
  imp.dryRun ? 'Dry run' : { import: 'Import', retry: 'Retry', activation: 'Activation' }[imp.kind];

/** Who did something: the source product by name, or the user by email. */
export const actorLabel = (actor: Actor) => (actor.kind === 'source' ? sourceLabel(actor.source) : actor.email);

/** "5,600 failed · 12 still failing", or "· all imported since" once retries brought every one in. */
export function failureSummary(imp: Import): string | null {
  const failed = totals(imp).failed;
  if (imp.status !== 'completed' || failed === 0) return null;
  return `${formatNumber(failed)} failed · ${imp.stillFailing === 0 ? 'all imported since' : `${formatNumber(imp.stillFailing)} still failing`}`;
}

/** The stable reason codes of the error file, as a plural noun phrase ("312 invalid postcodes"). */
const REASONS: Record<string, [string, string]> = {
  not_an_object: ['record that is not an object', 'records that are not objects'],
  required: ['missing required field', 'missing required fields'],
  invalid_type: ['value of the wrong type', 'values of the wrong type'],
  too_long: ['value too long', 'values too long'],
  invalid_value: ['value not allowed', 'values not allowed'],
  invalid_email: ['invalid email', 'invalid emails'],
  invalid_phone: ['invalid phone number', 'invalid phone numbers'],
  invalid_url: ['invalid website', 'invalid websites'],
  invalid_postcode: ['invalid postcode', 'invalid postcodes'],
  invalid_country: ['invalid country', 'invalid countries'],
  invalid_date: ['invalid date', 'invalid dates'],
  date_not_in_past: ['date that is not in the past', 'dates that are not in the past'],
  date_range: ['date range ending before it starts', 'date ranges ending before they start'],
  invalid_company_number: ['invalid company number', 'invalid company numbers'],
  invalid_vat_number: ['invalid VAT number', 'invalid VAT numbers'],
  invalid_utr: ['invalid UTR', 'invalid UTRs'],
  empty_list: ['contact linked to no client', 'contacts linked to no client'],
  duplicate_ref: ['duplicate ref', 'duplicate refs'],
  parent_not_found: ['link to a record that was not found', 'links to records that were not found'],
  parent_failed: ['record whose parent failed', 'records whose parent failed'],
};

export function reasonLabel(code: string, n: number): string {
  const words = REASONS[code];
  return words ? `${formatNumber(n)} ${n === 1 ? words[0] : words[1]}` : `${formatNumber(n)} × ${codeLabel(code).toLowerCase()}`;
}
