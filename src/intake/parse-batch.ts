// Turns a batch body into its record type and records, or a precise 400 reason: invalid UTF-8, invalid JSON
// (with position), nesting too deep, or a wrong envelope. What one record holds never refuses the batch (SPEC §4):
// a string PostgreSQL cannot store fails that record on its field (fields/field-reader.ts), and keys named
// __proto__, constructor or prototype are dropped here, like any unknown field, before anything reads the records.
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { jsonErrorOffset, lineAndColumn } from './json-error-position.ts';

export const MAX_RECORDS_PER_BATCH = 100_000;
/**
 * The most objects and arrays a batch's records may hold, checked before the body is parsed: parsed, each costs an intake thread
 * 30–100 bytes, and 10 MB of `{}` (3.5 million) runs a thread out of memory before any record count can be read.
 * Five per record is more than exports have (a contact with two links, an address with its owner: 2–4).
 */
export const MAX_CONTAINERS_PER_BATCH = 5 * MAX_RECORDS_PER_BATCH;
/** A batch is at most 4 levels deep ({records: [{clients: [{…}]}]}); deeper is refused before it reaches jsonb. */
export const MAX_DEPTH = 16;

export interface ParsedBatch {
  type: RecordType;
  records: unknown[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// JSON.parse makes "__proto__" an own property (it never sets the prototype), but code that later copies a record
// with assignment would. Cheap pre-check on the text (an escaped spelling like "\u005f_proto__" contains \u00);
// the walk below only runs when it matches.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAYBE_FORBIDDEN_KEY = /__proto__|constructor|prototype|\\u00/;

/** Deletes every key named __proto__, constructor or prototype, at any depth (MAX_DEPTH bounds the recursion). */
function dropForbiddenKeys(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropForbiddenKeys(item);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) delete (value as Record<string, unknown>)[key];
      else dropForbiddenKeys((value as Record<string, unknown>)[key]);
    }
  }
}

/**
 * One pass over the text before JSON.parse: the offset where nesting first goes deeper than `max` (or -1), and how
 * many objects and arrays its records hold (themselves included). Strings are skipped whole: most of a batch's
 * characters are in strings, and indexOf finds each closing quote (one not escaped: after an even run of
 * backslashes) far faster than a loop over every character (bench:checks: 44 → 20 ms for a 10 MB clients batch).
 */
export function prescan(text: string, max: number): { deepAt: number; containers: number } {
  let depth = 0;
  let containers = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return { deepAt: -1, containers }; // unterminated: JSON.parse says where
        let backslash = end - 1;
        while (text.charCodeAt(backslash) === 0x5c) backslash--;
        if ((end - 1 - backslash) % 2 === 0) break;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return { deepAt: i, containers };
      if (depth > 2) containers++; // below the batch's own object and its records array
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { deepAt: -1, containers };
}

const tooManyRecords = (detail: string) =>
  fail(
    'invalid',
    `${detail}; a batch holds at most ${MAX_RECORDS_PER_BATCH.toLocaleString('en-GB')} records: send the rest in more batches.`,
    {
      code: 'too_many_records',
    },
  );

export function parseBatch(body: Buffer): Outcome<ParsedBatch> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return fail('invalid', 'The body is not valid UTF-8 text.');
  }
  const { deepAt: deep, containers } = prescan(text, MAX_DEPTH);
  if (deep >= 0) {
    return fail(
      'invalid',
      `The body nests deeper than ${MAX_DEPTH} levels at position ${deep} (${lineAndColumn(text, deep)}); records are flat objects.`,
      { position: deep },
    );
  }
  if (containers > MAX_CONTAINERS_PER_BATCH) {
    return tooManyRecords(
      `The batch holds ${containers.toLocaleString('en-GB')} objects and arrays, more than ${MAX_CONTAINERS_PER_BATCH.toLocaleString('en-GB')}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(text);
    const where = offset >= 0 ? ` at position ${offset} (${lineAndColumn(text, offset)})` : '';
    // V8's message quotes up to a few dozen characters of context; our position is the exact offset.
    return fail(
      'invalid',
      `The body is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
      offset >= 0 ? { position: offset } : undefined,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail('invalid', 'The body must be a JSON object {"type": …, "records": […]}.');
  }
  if (MAYBE_FORBIDDEN_KEY.test(text)) dropForbiddenKeys(parsed);
  const { type, records } = parsed as { type?: unknown; records?: unknown };
  const problems: { path: string; message: string }[] = [];
  if (typeof type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(type)) {
    problems.push({ path: '/type', message: `must be one of ${RECORD_TYPES.join(', ')}` });
  }
  if (!Array.isArray(records)) problems.push({ path: '/records', message: 'must be an array of records' });
  else if (records.length === 0) problems.push({ path: '/records', message: 'must hold at least one record' });
  else if (records.length > MAX_RECORDS_PER_BATCH && problems.length === 0) {
    return tooManyRecords(`The batch holds ${records.length.toLocaleString('en-GB')} records`);
  }
  if (problems.length > 0) {
    return fail(
      'invalid',
      `The batch is not of the shape {"type": …, "records": […]}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}.`,
      {
        errors: problems.map((p) => ({ pointer: p.path, detail: p.message })),
      },
    );
  }
  return success({ type: type as RecordType, records: records as unknown[] });
}
