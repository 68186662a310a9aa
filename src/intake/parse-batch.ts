// Turns a batch body into its record type and records, or a precise 400 reason: invalid UTF-8, invalid JSON
// (with position), keys that could pollute prototypes, strings PostgreSQL cannot store, or a wrong envelope.
import secureJson from 'secure-json-parse';
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { jsonErrorOffset, lineAndColumn } from './json-error-position.ts';

export const MAX_RECORDS_PER_BATCH = 100_000;
/** A batch is at most 4 levels deep ({records: [{clients: [{…}]}]}); deeper is refused before it reaches jsonb. */
export const MAX_DEPTH = 16;

export interface ParsedBatch {
  type: RecordType;
  records: unknown[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Cheap pre-check on the text; the exact walk below only runs when it matches.
const SUSPICIOUS_ESCAPE = /\\u0000|\\ud[89a-f]/i;

/**
 * Finds a string PostgreSQL cannot store (NUL) or UTF-8 cannot encode (a lone surrogate); returns its path.
 * Iterative: a hostile batch may nest a million levels deep.
 */
function findUnstorable(root: unknown, rootPath: string): string | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  const bad = (s: string) => s.includes('\0') || !s.isWellFormed();
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (bad(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (bad(key)) return `${path} (a key)`;
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/** The offset where nesting first goes deeper than `max`, or -1. Strings are skipped, escapes honoured. */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

export function parseBatch(body: Buffer): Outcome<ParsedBatch> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return fail('invalid', 'The body is not valid UTF-8 text.');
  }
  const deep = tooDeepAt(text, MAX_DEPTH);
  if (deep >= 0) {
    return fail(
      'invalid',
      `The body nests deeper than ${MAX_DEPTH} levels at position ${deep} (${lineAndColumn(text, deep)}); records are flat objects.`,
      { position: deep },
    );
  }
  let parsed: unknown;
  try {
    parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/prototype|constructor/i.test(message)) {
      return fail('invalid', 'The body contains a "__proto__" or "constructor.prototype" key, which is not allowed.');
    }
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
  const { type, records } = parsed as { type?: unknown; records?: unknown };
  const problems: { path: string; message: string }[] = [];
  if (typeof type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(type)) {
    problems.push({ path: '/type', message: `must be one of ${RECORD_TYPES.join(', ')}` });
  }
  if (!Array.isArray(records)) problems.push({ path: '/records', message: 'must be an array of records' });
  else if (records.length === 0) problems.push({ path: '/records', message: 'must hold at least one record' });
  else if (records.length > MAX_RECORDS_PER_BATCH) {
    problems.push({ path: '/records', message: `must hold at most ${MAX_RECORDS_PER_BATCH.toLocaleString('en-GB')} records` });
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
  if (SUSPICIOUS_ESCAPE.test(text)) {
    const path = findUnstorable(records, 'records');
    if (path)
      return fail(
        'invalid',
        `${path.length > 200 ? `${path.slice(0, 200)}…` : path} holds a NUL character or an unpaired surrogate, which cannot be stored.`,
      );
  }
  return success({ type: type as RecordType, records: records as unknown[] });
}
