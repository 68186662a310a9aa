// A second product's export of the same practice (`generate <dir> --overlap-with <first> --source brightbooks`):
// a planted share of the first export's companies and people again, under this product's own refs and client
// references, as another product holds them — `Ltd` for `Limited`, `&` for `and`, a dropped leading zero, an
// identifier missing or extra, a company that moved office, the same director on two clients — plus clients of its
// own and true look-alikes (the same name as a first-export client, another company: they must stay apart).
// expected-matches.csv is the ground truth (SPEC §9): per planted pair, `join` (a shared identifier, nothing
// contradicting: joined automatically), `review` (no shared identifier, the same name and email, phone or
// postcode: a review item) or `apart` (never joined, no item).
// Which identifiers the second product holds (`identifierRates`): `realistic` (the default) models a bookkeeping
// product such as BrightBooks beside a practice-management export — which clients it holds and which numbers it
// keeps, per client type (HOLDS and KEEPS, reasoned in docs/decisions.md); `pessimistic` keeps the harsher rates
// the generator had first, the same for every type (for a matcher that must cope with worse data).
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { findExportFiles, readExport } from '../export-reader.ts';
import { seededDraws, type Draws } from './draws.ts';
import { utrDigits, vatDigits } from './uk-check-digits.ts';

type Rec = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export interface SecondSourceOptions {
  /** The first product's export (written by `generate`). */
  overlapWith: string;
  /** Share of the first export's valid clients that this product holds too (0 to 1). */
  overlap: number;
  seed: number;
  /** Prefix of this product's refs and client references. */
  prefix: string;
  /** How often this product lacks or changes an identifier (default `realistic`). */
  identifierRates?: IdentifierRates;
}

export const IDENTIFIER_RATES_CHOICES = ['realistic', 'pessimistic'] as const;
export type IdentifierRates = (typeof IDENTIFIER_RATES_CHOICES)[number];

type ClientType = 'limited_company' | 'llp' | 'partnership' | 'sole_trader' | 'charity' | 'trust' | 'other';

/**
 * A bookkeeping product's view of a practice's clients (docs/decisions.md, "Identifier rates of the second source").
 * HOLDS: how likely it holds a client of the type that is not VAT-registered, relative to a VAT-registered one (1:
 * Making Tax Digital for VAT makes every VAT-registered business keep its records in software), scaled so that the
 * share held is `overlap` on average.
 */
const HOLDS: { readonly [T in ClientType]: number } = {
  limited_company: 0.8,
  llp: 0.8,
  sole_trader: 0.45,
  partnership: 0.35,
  charity: 0.4,
  trust: 0.1,
  other: 0.3,
};

/**
 * KEEPS: the chance it has the company number or VAT number the practice-management product has, and a VAT number
 * that product lacks (registered since; the practice does not do the client's VAT). It keeps no UTR: it files VAT
 * returns, not Self Assessment or Corporation Tax returns.
 */
const KEEPS = { companyNumber: 0.95, vatNumber: 0.97, extraVat: 0.05 };

/** How likely (relative) a realistic second product holds client `c`. */
const holdsWeight = (c: Rec) => (str(c['vatNumber']) !== null ? 1 : (HOLDS[c['clientType'] as ClientType] ?? HOLDS.other));

export interface ExpectedMatch {
  record_type: 'client' | 'contact' | 'address';
  first_ref: string;
  second_ref: string;
  expected: 'join' | 'review' | 'apart';
  planted: string;
}

export interface SecondSourceSummary {
  counts: { clients: number; contacts: number; addresses: number };
  matches: ExpectedMatch[];
  files: string[];
}

/** The name as another product spells it: one of the variants Companies House's "same as" rules fold away. */
function nameVariant(draw: Draws, name: string): { name: string; planted: string } {
  const variants: [string, string][] = [];
  if (/ Limited$/.test(name)) variants.push([name.replace(/ Limited$/, ' Ltd'), 'Limited → Ltd']);
  if (/ Ltd$/.test(name)) variants.push([name.replace(/ Ltd$/, ' Limited'), 'Ltd → Limited']);
  if (name.includes(' & ')) variants.push([name.replace(' & ', ' and '), '& → and']);
  if (name.includes(' and ')) variants.push([name.replace(' and ', ' & '), 'and → &']);
  variants.push([name.toUpperCase(), 'upper case'], [name, 'same name']);
  const [variant, planted] = draw.pick(variants);
  return { name: variant, planted };
}

const IDENTIFIERS = ['companyNumber', 'utr', 'vatNumber'] as const;
/** The VAT number's 9-digit root (the server's vat_root: prefix and branch ignored). */
const vatRoot = (c: Rec) => str(c['vatNumber'])?.slice(2, 11) ?? null;

/** Do the two records share a company number (a dropped leading zero is padded back), UTR or VAT root? */
function sharesIdentifier(a: Rec, b: Rec): boolean {
  const number = (r: Rec) => str(r['companyNumber'])?.padStart(8, '0') ?? null;
  const same = (x: string | null, y: string | null) => x !== null && x === y;
  return same(number(a), number(b)) || same(str(a['utr']), str(b['utr'])) || same(vatRoot(a), vatRoot(b));
}

/** What changed on the twin, for expected-matches.csv, and whether its office moved. */
interface Changed {
  planted: string[];
  moved: boolean;
}

/** The twin as a bookkeeping product holds it (KEEPS): it keeps no UTR, nearly always the others. */
function realisticIdentifiers(draw: Draws, c: Rec, twin: Rec, freshVat: () => string): Changed {
  const planted: string[] = [];
  const moved = draw.chance(0.1);
  const companyNumber = str(c['companyNumber']);
  if (companyNumber && !draw.chance(KEEPS.companyNumber)) {
    delete twin['companyNumber'];
    planted.push('no companyNumber');
  } else if (companyNumber && /^0\d{7}$/.test(companyNumber) && draw.chance(0.3)) {
    twin['companyNumber'] = companyNumber.replace(/^0+/, '');
    planted.push('leading zero dropped');
  }
  if (str(c['vatNumber']) && !draw.chance(KEEPS.vatNumber)) {
    delete twin['vatNumber'];
    planted.push('no vatNumber');
  } else if (!str(c['vatNumber']) && draw.chance(KEEPS.extraVat)) {
    twin['vatNumber'] = freshVat();
    planted.push('extra VAT number');
  }
  if (str(c['utr'])) {
    delete twin['utr'];
    planted.push('no utr');
  }
  return { planted, moved };
}

/**
 * The generator's first rates, the same for every client type: 15 % of twins lack one of two identifiers, 10 %
 * carry a UTR the first lacks, 5 % carry none at all.
 */
function pessimisticIdentifiers(draw: Draws, c: Rec, twin: Rec, freshUtr: () => string): Changed {
  const planted: string[] = [];
  const ids = IDENTIFIERS.filter((f) => str(c[f]) !== null);
  const kind = draw.weighted<'same' | 'dropped' | 'extra' | 'moved' | 'none'>([
    ['same', 60],
    ['dropped', 15],
    ['extra', 10],
    ['moved', 10],
    ['none', 5],
  ]);
  const companyNumber = str(c['companyNumber']);
  if (companyNumber && /^0\d{7}$/.test(companyNumber) && draw.chance(0.3)) {
    twin['companyNumber'] = companyNumber.replace(/^0+/, '');
    planted.push('leading zero dropped');
  }
  if (kind === 'dropped' && ids.length > 1) {
    delete twin[ids[0]!];
    planted.push(`no ${ids[0]!}`);
  }
  if (kind === 'extra' && str(c['utr']) === null) {
    twin['utr'] = freshUtr();
    planted.push('extra UTR');
  }
  if (kind === 'none' || ids.length === 0) for (const f of IDENTIFIERS) delete twin[f];
  return { planted, moved: kind === 'moved' };
}

/** The first export's records, less those that must fail there (expected-errors.csv) — they were never imported. */
async function readFirstExport(dir: string): Promise<{ clients: Rec[]; contacts: Rec[]; addresses: Rec[] }> {
  const failing = new Set<string>();
  const errors = parse<Record<string, string>>(await fs.readFile(path.join(dir, 'expected-errors.csv')), { columns: true, bom: true });
  for (const row of errors) failing.add(`${row['record_type']}:${row['record_ref']}`);
  const out = { clients: [] as Rec[], contacts: [] as Rec[], addresses: [] as Rec[] };
  const singular = { clients: 'client', contacts: 'contact', addresses: 'address' } as const;
  const seen = new Set<string>();
  for await (const { type, record } of readExport(await findExportFiles(dir))) {
    const key = `${singular[type]}:${str((record as Rec)['ref'])}`;
    if (failing.has(key) || seen.has(key)) continue;
    seen.add(key);
    out[type].push(record as Rec);
  }
  return out;
}

class NdjsonWriter {
  readonly file: string;
  readonly #out: WriteStream;
  count = 0;
  constructor(dir: string, type: string) {
    this.file = path.join(dir, `${type}.ndjson`);
    this.#out = createWriteStream(this.file);
  }
  async write(record: Rec): Promise<void> {
    this.count++;
    if (!this.#out.write(`${JSON.stringify(record)}\n`)) await once(this.#out, 'drain');
  }
  async close(): Promise<void> {
    this.#out.end();
    await once(this.#out, 'finish');
  }
}

export async function writeSecondSource(dir: string, options: SecondSourceOptions): Promise<SecondSourceSummary> {
  const first = await readFirstExport(options.overlapWith);
  const draw = seededDraws(options.seed);
  await fs.mkdir(dir, { recursive: true });
  const out = {
    clients: new NdjsonWriter(dir, 'clients'),
    contacts: new NdjsonWriter(dir, 'contacts'),
    addresses: new NdjsonWriter(dir, 'addresses'),
  };
  const matches: ExpectedMatch[] = [];
  const taken = new Set(
    first.clients.flatMap((c) => [str(c['companyNumber']), str(c['utr']), vatRoot(c)]).filter((v): v is string => v !== null),
  );
  const fresh = (make: () => string) => {
    for (;;) {
      const value = make();
      if (!taken.has(value)) {
        taken.add(value);
        return value;
      }
    }
  };
  const freshUtr = () => fresh(() => utrDigits(draw.digits(9)));
  const freshVat = () => `GB${fresh(() => vatDigits(String(draw.int(1, 9)) + draw.digits(6), 0))}`;
  let n = 0;
  const nextRef = (kind: string) => `${options.prefix}${kind}-${++n}`;

  const twinOf = new Map<string, string>(); // first client ref → twin ref
  const addressesOf = new Map<string, Rec[]>(); // owner key → first addresses
  for (const a of first.addresses) {
    const owner = a['owner'] as Rec | undefined;
    const key = `${str(owner?.['type'])}:${str(owner?.['ref'])}`;
    addressesOf.set(key, [...(addressesOf.get(key) ?? []), a]);
  }
  const copyAddresses = async (ownerType: 'client' | 'contact', firstRef: string, twinRef: string, moved: boolean) => {
    for (const a of addressesOf.get(`${ownerType}:${firstRef}`) ?? []) {
      const ref = nextRef('A');
      const copy: Rec = { ...a, ref, owner: { type: ownerType, ref: twinRef } };
      if (moved && a['kind'] !== 'home') {
        copy['line1'] = `Unit ${draw.int(1, 40)}, ${String(a['line1'])}`;
        matches.push({ record_type: 'address', first_ref: String(a['ref']), second_ref: ref, expected: 'apart', planted: 'moved office' });
      } else {
        matches.push({ record_type: 'address', first_ref: String(a['ref']), second_ref: ref, expected: 'join', planted: 'same entry' });
      }
      await out.addresses.write(copy);
    }
  };

  const realistic = (options.identifierRates ?? 'realistic') === 'realistic';
  const meanWeight = first.clients.reduce((sum, c) => sum + holdsWeight(c), 0) / Math.max(1, first.clients.length);

  for (const c of first.clients) {
    const firstRef = String(c['ref']);
    if (!draw.chance(realistic ? Math.min(1, (options.overlap * holdsWeight(c)) / meanWeight) : options.overlap)) continue;
    const ref = nextRef('C');
    twinOf.set(firstRef, ref);
    const variant = nameVariant(draw, String(c['name']));
    const twin: Rec = { ...c, ref, clientReference: `${options.prefix}${String(n).padStart(6, '0')}`, name: variant.name };
    const changed = realistic ? realisticIdentifiers(draw, c, twin, freshVat) : pessimisticIdentifiers(draw, c, twin, freshUtr);
    const planted = [variant.planted, ...changed.planted];
    const shares = sharesIdentifier(c, twin);
    if (!shares) planted.push(IDENTIFIERS.some((f) => str(twin[f]) !== null) ? 'no shared identifier' : 'no identifiers');
    // Without a shared identifier only the name and a contact detail connect them: a review item, if a detail is there.
    const contactDetail = str(c['email']) ?? str(c['phone']) ?? (addressesOf.has(`client:${firstRef}`) ? 'postcode' : null);
    const expected = shares ? 'join' : contactDetail !== null ? 'review' : 'apart';
    if (changed.moved) planted.push('moved office');
    matches.push({ record_type: 'client', first_ref: firstRef, second_ref: ref, expected, planted: planted.join('; ') });
    await out.clients.write(twin);
    await copyAddresses('client', firstRef, ref, changed.moved);
  }

  // People: the same person again on the twins of their clients (a director of two clients stays one person).
  for (const p of first.contacts) {
    const links = ((p['clients'] as Rec[] | undefined) ?? []).filter((l) => twinOf.has(String(l['ref'])));
    const detail = str(p['email']) ?? str(p['dateOfBirth']) ?? str(p['phone']);
    if (links.length === 0 || detail === null || !draw.chance(0.8)) continue;
    const ref = nextRef('P');
    const clients = links.map((l) => ({ ref: twinOf.get(String(l['ref'])), role: l['role'] }));
    const planted = links.length > 1 ? 'shared director' : 'same person';
    matches.push({ record_type: 'contact', first_ref: String(p['ref']), second_ref: ref, expected: 'join', planted });
    await out.contacts.write({ ...p, ref, clients });
    await copyAddresses('contact', String(p['ref']), ref, false);
  }

  // Clients of this product only; a few true look-alikes: a first-export name, another company, nothing shared.
  const own = Math.round(first.clients.length * 0.2);
  for (let i = 0; i < own; i++) {
    const ref = nextRef('C');
    const model = draw.pick(first.clients);
    const lookAlike = i % 10 === 0;
    const name = lookAlike
      ? String(model['name'])
      : `${String(model['name']).split(' ')[0]} ${draw.pick(['Bakery', 'Joinery', 'Optics', 'Studio'])} Ltd`;
    await out.clients.write({
      ref,
      clientReference: `${options.prefix}${String(n).padStart(6, '0')}`,
      name,
      clientType: 'limited_company',
      companyNumber: fresh(() => `1${draw.digits(7)}`),
      email: `office@${ref.toLowerCase()}.example`,
    });
    if (lookAlike)
      matches.push({ record_type: 'client', first_ref: String(model['ref']), second_ref: ref, expected: 'apart', planted: 'look-alike' });
  }

  for (const w of Object.values(out)) await w.close();
  const expectedFile = path.join(dir, 'expected-matches.csv');
  await fs.writeFile(
    expectedFile,
    stringify(matches, { header: true, columns: ['record_type', 'first_ref', 'second_ref', 'expected', 'planted'] }),
  );
  return {
    counts: { clients: out.clients.count, contacts: out.contacts.count, addresses: out.addresses.count },
    matches,
    files: [out.clients.file, out.contacts.file, out.addresses.file, expectedFile],
  };
}
