// The queries of the search benchmark: each made from one generated client (its target) the way a user gets a
// name or a code slightly wrong, reproducible from a seed.
export const QUERY_KINDS = [
  'suffix_variant', // "Peak Dental Care Limited" for "Peak Dental Care Ltd", "&" for "and", "(UK)" and "The" added
  'one_typo', // one letter wrong, missing or extra in one word
  'two_typos', // two such slips, in two words (or twice in a long word)
  'transposition', // two neighbouring letters swapped
  'dropped_word', // a word of a name of three or more left out, where the rest still names no other client
  'missing_accents', // "Muller" for "Müller", where no other client is called "Muller"
  'reference_prefix', // the start of the client reference, as far as it is unique
  'company_number_prefix', // the start of the company number, as far as it is unique
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface BenchClient {
  id: string;
  name: string;
  clientReference: string;
  companyNumber: string | null;
}

export interface BenchQuery {
  kind: QueryKind;
  text: string;
  target: BenchClient;
}

/** A small seeded generator (mulberry32): the same seed gives the same queries. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUFFIXES = new Set(['ltd', 'limited', 'plc', 'llp', 'llc', '(uk)', 'uk', 'the', '&', 'and', 'co']);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ACCENTS: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü', c: 'ç', n: 'ñ' };

export const stripAccents = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

/** One letter of `name` accented (the generator's names are plain ASCII; real practices' are not). */
export function accented(name: string, random: () => number): string {
  const places = [...name].flatMap((c, i) => (ACCENTS[c] ? [i] : []));
  if (places.length === 0) return name;
  const at = places[Math.floor(random() * places.length)]!;
  return name.slice(0, at) + ACCENTS[name[at]!]! + name.slice(at + 1);
}

/** A name's words as search compares them, roughly: for telling whether a query still names only its target. */
const nameWords = (name: string): string[] =>
  stripAccents(name)
    .toLowerCase()
    .replace(/['.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && !SUFFIXES.has(w));

export function makeQueries(clients: BenchClient[], perKind: number, seed: number): BenchQuery[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  const words = (name: string) => name.split(' ');
  const editable = (name: string) =>
    words(name)
      .map((w, i) => ({ w, i }))
      .filter(({ w }) => w.length >= 4 && !SUFFIXES.has(w.toLowerCase()) && /^[A-Za-z]+$/.test(w));

  function slip(word: string): string {
    const at = 1 + int(word.length - 1);
    const letter = pick([...LETTERS]);
    switch (int(3)) {
      case 0:
        return word[at]!.toLowerCase() === letter ? slip(word) : word.slice(0, at) + letter + word.slice(at + 1);
      case 1:
        return word.slice(0, at) + word.slice(at + 1);
      default:
        return word.slice(0, at) + letter + word.slice(at);
    }
  }
  const replaceWord = (name: string, index: number, word: string) =>
    words(name)
      .map((w, i) => (i === index ? word : w))
      .join(' ');

  function suffixVariant(name: string): string | null {
    const options: string[] = [];
    if (/ Ltd$/.test(name)) options.push(name.replace(/ Ltd$/, ' Limited'), name.replace(/ Ltd$/, ' LTD.'));
    if (/ Limited$/.test(name)) options.push(name.replace(/ Limited$/, ' Ltd'));
    if (/ LLP$/.test(name)) options.push(name.replace(/ LLP$/, ' L.L.P.'), name.replace(/ LLP$/, ''));
    if (/ & /.test(name)) options.push(name.replace(/ & /, ' and '));
    if (/ \(UK\) /.test(name)) options.push(name.replace(/ \(UK\) /, ' '));
    if (/^The /.test(name)) options.push(name.replace(/^The /, ''));
    else if (/ (Ltd|Limited)$/.test(name)) options.push(`The ${name}`);
    return options.length > 0 ? pick(options) : null;
  }

  function shortestUniquePrefix(value: string, all: Map<string, number>, min: number): string {
    for (let n = min; n < value.length; n++) if ((all.get(value.slice(0, n)) ?? 0) === 1) return value.slice(0, n);
    return value;
  }
  const prefixCounts = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) for (let n = 1; n <= v.length; n++) counts.set(v.slice(0, n), (counts.get(v.slice(0, n)) ?? 0) + 1);
    return counts;
  };
  const wordSets = clients.map((c) => ({ name: c.name, words: new Set(nameWords(c.name)) }));
  /** Whether every client whose name holds all of `words` is called `name`. */
  const onlyNamed = (words: string[], name: string) => wordSets.every((c) => c.name === name || !words.every((w) => c.words.has(w)));
  const plainNames = new Map<string, number>();
  for (const c of clients)
    plainNames.set(stripAccents(c.name).toLowerCase(), (plainNames.get(stripAccents(c.name).toLowerCase()) ?? 0) + 1);

  const references = prefixCounts(clients.map((c) => c.clientReference.toUpperCase()));
  const numbers = prefixCounts(clients.flatMap((c) => (c.companyNumber ? [c.companyNumber] : [])));

  const make: Record<QueryKind, (c: BenchClient) => string | null> = {
    suffix_variant: (c) => suffixVariant(c.name),
    one_typo: (c) => {
      const e = editable(c.name);
      if (e.length === 0) return null;
      const { w, i } = pick(e);
      return replaceWord(c.name, i, slip(w));
    },
    two_typos: (c) => {
      const e = editable(c.name);
      if (e.length >= 2) {
        const first = pick(e);
        const second = pick(e.filter((x) => x.i !== first.i));
        return replaceWord(replaceWord(c.name, first.i, slip(first.w)), second.i, slip(second.w));
      }
      const long = e.find((x) => x.w.length >= 7);
      return long ? replaceWord(c.name, long.i, slip(slip(long.w))) : null;
    },
    transposition: (c) => {
      const e = editable(c.name);
      if (e.length === 0) return null;
      const { w, i } = pick(e);
      const at = int(w.length - 1);
      if (w[at]!.toLowerCase() === w[at + 1]!.toLowerCase()) return null;
      return replaceWord(c.name, i, w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2));
    },
    dropped_word: (c) => {
      const kept = words(c.name).filter((w) => !SUFFIXES.has(w.toLowerCase()));
      if (kept.length < 3) return null;
      const drop = int(kept.length);
      const query = kept.filter((_, i) => i !== drop).join(' ');
      return onlyNamed(nameWords(query), c.name) ? query : null;
    },
    missing_accents: (c) => {
      const plain = stripAccents(c.name);
      return plain !== c.name && plainNames.get(plain.toLowerCase()) === 1 ? plain : null;
    },
    reference_prefix: (c) => shortestUniquePrefix(c.clientReference.toUpperCase(), references, 3).toLowerCase(),
    company_number_prefix: (c) => (c.companyNumber ? shortestUniquePrefix(c.companyNumber, numbers, 4) : null),
  };

  // A query that is another client's very name (a suffix variant of one of two near-twins) names that client.
  const exactNames = new Set(clients.map((c) => c.name.toLowerCase()));
  const queries: BenchQuery[] = [];
  for (const kind of QUERY_KINDS) {
    let made = 0;
    for (let tries = 0; made < perKind && tries < perKind * 200; tries++) {
      const target = pick(clients);
      const text = make[kind](target);
      if (text === null || text === target.name || (kind !== 'reference_prefix' && exactNames.has(text.toLowerCase()))) continue;
      queries.push({ kind, text, target });
      made++;
    }
  }
  return queries;
}
