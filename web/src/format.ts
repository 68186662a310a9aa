// How values read on screen: dates, durations, counts, and the words for the API's codes.
import type { Import, RecordType } from './api.ts';

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const number = new Intl.NumberFormat('en-GB');

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
/** A calendar date (`YYYY-MM-DD`), shown without time-zone shifts. */
export const formatDate = (day: string) => dateOnly.format(new Date(`${day}T00:00:00Z`));
export const formatNumber = (n: number) => number.format(n);
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
};
export const phaseLabel = (phase: string) => PHASES[phase] ?? phase;

/** `limited_company` → `Limited company`. */
export const codeLabel = (code: string) => (code.charAt(0).toUpperCase() + code.slice(1)).replaceAll('_', ' ');

export const SOURCE_LABELS: Record<string, string> = { brightmanager: 'BrightManager', brightbooks: 'BrightBooks', brightap: 'BrightAP' };
export const sourceLabel = (source: string) => SOURCE_LABELS[source] ?? source;

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
