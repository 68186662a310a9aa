// A second product's export of the same practice (`generate <dir> --overlap-with <first> --source brightbooks`):
// a planted share of the first export's companies and people again, under this product's own refs and client
// references, as another product holds them — `Ltd` for `Limited`, `&` for `and`, a dropped leading zero, an
// identifier missing or extra, a company that moved office, the same director on two clients — plus clients of its
// own and true look-alikes (the same name as a first-export client, another company: they must stay apart).
// expected-matches.csv is the ground truth (SPEC §9): per planted pair, `join` (a shared identifier, nothing
// contradicting: joined automatically), `review` (no shared identifier, the same name and email, phone or
// postcode: a review item) or `apart` (never joined, no item).
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { findExportFiles, readExport } from '../export-reader.ts';
import { seededDraws, type Draws } from './draws.ts';
import { utrDigits } from './uk-check-digits.ts';

type Rec = Record<string, unknown>;

export interface SecondSourceOptions {
  /** The first product's export (written by `generate`). */
  overlapWith: string;
  /** Share of the first export's valid clients that this product holds too (0 to 1). */
  overlap: number;
  seed: number;
  /** Prefix of this product's refs and client references. */
  prefix: string;
}

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

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

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
  const taken = new Set(first.clients.flatMap((c) => [str(c['companyNumber']), str(c['utr'])]).filter((v): v is string => v !== null));
  const fresh = (make: () => string) => {
    for (;;) {
      const value = make();
      if (!taken.has(value)) {
        taken.add(value);
        return value;
      }
    }
  };
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

  for (const c of first.clients) {
    const firstRef = String(c['ref']);
    if (!draw.chance(options.overlap)) continue;
    const ref = nextRef('C');
    twinOf.set(firstRef, ref);
    const variant = nameVariant(draw, String(c['name']));
    const twin: Rec = { ...c, ref, clientReference: `${options.prefix}${String(n).padStart(6, '0')}`, name: variant.name };
    const ids = ['companyNumber', 'utr', 'vatNumber'].filter((f) => str(c[f]) !== null);
    const planted = [variant.planted];
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
      twin['utr'] = fresh(() => utrDigits(draw.digits(9)));
      planted.push('extra UTR');
    }
    const byName = kind === 'none' || ids.length === 0;
    if (byName) {
      for (const f of ['companyNumber', 'utr', 'vatNumber']) delete twin[f];
      planted.push('no identifiers');
    }
    // Without an identifier only the name and a contact detail connect them: a review item, if a detail is there.
    const contactDetail = str(c['email']) ?? str(c['phone']) ?? (addressesOf.has(`client:${firstRef}`) ? 'postcode' : null);
    const expected = !byName ? 'join' : contactDetail !== null ? 'review' : 'apart';
    if (kind === 'moved') planted.push('moved office');
    matches.push({ record_type: 'client', first_ref: firstRef, second_ref: ref, expected, planted: planted.join('; ') });
    await out.clients.write(twin);
    await copyAddresses('client', firstRef, ref, kind === 'moved');
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
