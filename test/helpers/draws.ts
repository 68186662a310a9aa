// Generated test values, deterministic (no Math.random: a failure must be reproducible).

/** A stream of numbers from `seed`. */
export function* draws(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x;
  }
}

/**
 * `count` variants of each value: `pieces` inserted or put in place of a character, characters deleted, parts
 * doubled or cut.
 */
export function mutations(values: readonly string[], pieces: readonly string[], count: number, seed: number): string[] {
  const next = draws(seed);
  const n = (max: number) => next.next().value % max;
  const out: string[] = [];
  for (const value of values) {
    for (let k = 0; k < count; k++) {
      let s = value;
      for (let m = 0, edits = 1 + n(3); m < edits; m++) {
        const at = n(s.length + 1);
        const piece = pieces[n(pieces.length)]!;
        const op = n(4);
        if (op === 0) s = s.slice(0, at) + piece + s.slice(at);
        else if (op === 1) s = s.slice(0, at) + s.slice(at + 1);
        else if (op === 2) s = s.slice(0, at) + piece + s.slice(at + 1);
        else s = n(2) === 0 ? s + s.slice(at) : s.slice(0, at);
      }
      out.push(s);
    }
  }
  return out;
}
