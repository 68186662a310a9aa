// What every identifier rule answers: the normalised identifier, or why the text is not one. `why` completes the
// sentence "<Field> '<value>' …" of an error reason, so each rule words its own failure once.
export type Parsed = { ok: true; value: string } | { ok: false; why: string };

export const valid = (value: string): Parsed => ({ ok: true, value });
export const invalid = (why: string): Parsed => ({ ok: false, why });
