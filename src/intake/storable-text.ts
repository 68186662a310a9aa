// Text PostgreSQL can store. A record whose field holds U+0000 or an unpaired surrogate fails on that field
// (fields/field-reader.ts), but its raw copy is still kept for the error file and audits — and `jsonb` refuses
// "\u0000" and lone surrogate escapes just as `text` refuses the characters. In the kept copy each such character
// becomes U+FFFD (the Unicode replacement character, what a UTF-8 decoder puts in place of what it cannot read),
// in keys and values alike; the error row names the field where it was.
const REPLACEMENT = '\uFFFD';
// JSON.stringify writes U+0000 and lone surrogates as these escapes, so the cheap test runs on its output.
const UNSTORABLE_ESCAPE_RE = /\\u0000|\\ud[89a-f]/i;

export function storableText(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', REPLACEMENT).toWellFormed() : s.toWellFormed();
}

function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v)]));
  }
  return value;
}

/** The JSON text of a record, with what jsonb cannot hold replaced (see above). */
export function storableJson(raw: unknown): string {
  const text = JSON.stringify(raw);
  return UNSTORABLE_ESCAPE_RE.test(text) ? JSON.stringify(storableValue(raw)) : text;
}
