// Realistic records of a UK accountancy practice, reproducible from a seed: clients of every type with valid
// Companies House, VAT and UTR numbers, 1–4 contacts each with roles (some serving several clients), address
// histories without overlapping dates, and a planted share of bad records of every failure kind, each noted in an
// ExpectedOutcome as it is written.
import { Faker, base, en, en_GB } from '@faker-js/faker';
import type { RecordType } from '../../contract.generated.ts';
import { ExpectedOutcome, type Planted } from './expected-outcome.ts';
import {
  BUSINESS_PREMISES,
  DISTRICTS,
  FEMALE_NAMES,
  INWARD_LETTERS,
  MALE_NAMES,
  PLACE_WORDS,
  STREETS,
  SURNAMES,
  TRADES,
  badUtrDigits,
  badVatDigits,
  utrDigits,
  vatDigits,
  type District,
} from './uk-reference.ts';

export interface PracticeOptions {
  clients: number;
  seed?: number;
  /** Share of records (of each type) planted with a failure of their own; dependants fail with them. */
  invalidRate?: number;
  /**
   * The same export after the practice fixed every planted failure: the same records, refs and order, with the
   * planted fields as they should have been and the duplicated records removed.
   */
  corrected?: boolean;
}

export interface GeneratedRecord {
  type: RecordType;
  record: Record<string, unknown>;
}

type Rec = Record<string, unknown>;
type ClientType = 'limited_company' | 'llp' | 'partnership' | 'sole_trader' | 'charity' | 'trust' | 'other';

/** Dates are drawn before this day, so a seed gives the same export whenever it runs and every date stays past. */
const AS_OF = Date.UTC(2025, 0, 1) / 86_400_000;
const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const daysOf = (year: number, month = 1, dayOfMonth = 1) => Date.UTC(year, month - 1, dayOfMonth) / 86_400_000;

const CLIENT_DEFECTS = [
  'vat',
  'utr',
  'company_number',
  'email',
  'client_type',
  'name',
  'phone',
  'website',
  'vat_and_utr',
  'duplicate',
] as const;
const CONTACT_DEFECTS = ['email', 'dob_future', 'dob_invalid', 'last_name', 'role', 'unknown_client', 'phone', 'duplicate'] as const;
const ADDRESS_DEFECTS = ['postcode', 'dates_reversed', 'town', 'unknown_owner', 'country', 'from_invalid', 'duplicate'] as const;

interface ClientInfo {
  ref: string;
  type: ClientType;
  contacts: number;
}

export interface PracticeExport {
  /** The records in the order they are written (each type's file keeps this order). */
  records: Generator<GeneratedRecord>;
  /** Filled while `records` is consumed. */
  expected: ExpectedOutcome;
}

export function generatePractice(options: PracticeOptions): PracticeExport {
  const expected = new ExpectedOutcome();
  return { records: records(options, expected), expected };
}

function* records(options: PracticeOptions, expected: ExpectedOutcome): Generator<GeneratedRecord> {
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(options.seed ?? 1);
  const rate = options.invalidRate ?? 0.02;
  const int = (min: number, max: number) => faker.number.int({ min, max });
  const chance = (p: number) => faker.number.float({ min: 0, max: 1 }) < p;
  const pick = <T>(items: readonly T[]): T => faker.helpers.arrayElement(items);
  const weighted = <T>(items: [T, number][]): T => faker.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight })));
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');

  // Each type cycles through its failure kinds, so even a small export plants every kind.
  const cycles = { clients: 0, contacts: 0, addresses: 0 };
  const defect = <K>(type: RecordType, kinds: readonly K[]): K | null => (chance(rate) ? kinds[cycles[type]++ % kinds.length]! : null);

  let unknownRefs = 0;
  let contactCount = 0;
  let addressCount = 0;
  const recent: ClientInfo[] = [];
  const pendingDuplicates: { due: number; type: RecordType; record: Rec }[] = [];

  // A record is drawn whole, then its planted failure applied; the corrected export keeps the record as drawn.
  // Both draw the same random numbers, so they stay the same export record for record.
  const emit = (type: RecordType, record: Rec, planted: Planted[], asDrawn?: Rec): GeneratedRecord => {
    const sent = options.corrected && asDrawn ? asDrawn : record;
    expected.add(type, sent, options.corrected ? [] : planted);
    return { type, record: sent };
  };
  const duplicateLater = (i: number, type: RecordType, record: Rec) =>
    pendingDuplicates.push({ due: i + int(1, 25), type, record: structuredClone(record) });

  const postcode = (district: District) => `${district.outward} ${int(0, 9)}${pick([...INWARD_LETTERS])}${pick([...INWARD_LETTERS])}`;
  const phone = (district: District) => `${district.phone.prefix}${digits(district.phone.digits)}`;
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/&/g, 'and')
      .replace(/[^a-z]/g, '');

  function person() {
    const male = chance(0.5);
    const firstName = pick(male ? MALE_NAMES : FEMALE_NAMES);
    const lastName = pick(SURNAMES);
    const title = chance(0.06)
      ? 'Dr'
      : male
        ? 'Mr'
        : weighted([
            ['Mrs', 45],
            ['Ms', 40],
            ['Miss', 15],
          ]);
    return { firstName, lastName, title };
  }

  function clientName(type: ClientType, district: District): { name: string; main: string; trade: string } {
    const place = pick(PLACE_WORDS);
    const trade = pick(TRADES);
    const surname = pick(SURNAMES);
    switch (type) {
      case 'limited_company':
        return weighted<{ name: string; main: string; trade: string }>([
          [{ name: `${place} ${trade} Ltd`, main: place, trade }, 45],
          [{ name: `${surname} ${trade} Limited`, main: surname, trade }, 30],
          [{ name: `${surname} & ${pick(SURNAMES)} Ltd`, main: surname, trade: 'partners' }, 15],
          [{ name: `${place} ${trade} (UK) Ltd`, main: place, trade }, 10],
        ]);
      case 'llp':
        return chance(0.5)
          ? { name: `${surname} ${pick(SURNAMES)} LLP`, main: surname, trade: 'llp' }
          : { name: `${surname} & Co ${pick(['Solicitors', 'Chartered Surveyors', 'Architects'])} LLP`, main: surname, trade: 'co' };
      case 'partnership':
        return chance(0.6)
          ? { name: `${surname} & ${pick(SURNAMES)}`, main: surname, trade: 'partners' }
          : { name: `${surname} Brothers ${trade}`, main: surname, trade };
      case 'sole_trader': {
        const owner = person();
        return chance(0.5)
          ? { name: `${owner.firstName} ${owner.lastName}`, main: owner.lastName, trade }
          : { name: `${owner.firstName} ${owner.lastName} t/a ${place} ${trade}`, main: place, trade };
      }
      case 'charity':
        return pick([
          { name: `${place} Community Trust`, main: place, trade: 'community' },
          { name: `Friends of ${district.town} ${pick(['Park', 'Library', 'Hospice'])}`, main: district.town, trade: 'friends' },
          { name: `${place} Foodbank`, main: place, trade: 'foodbank' },
        ]);
      case 'trust':
        return chance(0.6)
          ? { name: `The ${surname} Family Trust`, main: surname, trade: 'trust' }
          : { name: `${surname} Discretionary Trust`, main: surname, trade: 'settlement' };
      default:
        return pick([
          { name: `${district.town} ${pick(['Rugby', 'Cricket', 'Bowls'])} Club`, main: district.town, trade: 'club' },
          { name: `${place} Residents Association`, main: place, trade: 'residents' },
        ]);
    }
  }

  function companyNumber(type: ClientType, district: District): string | null {
    const six = () => String(int(0, 999_999)).padStart(6, '0');
    const prefix = (scotland: string, ni: string, england: string | null) =>
      district.nation === 'scotland' ? scotland : district.nation === 'northern_ireland' ? ni : england;
    if (type === 'limited_company') {
      const p = prefix('SC', 'NI', null);
      return p
        ? p + six()
        : String(
            weighted([
              [int(1_000_000, 9_999_999), 40],
              [int(10_000_000, 15_999_999), 60],
            ]),
          ).padStart(8, '0');
    }
    if (type === 'llp') return prefix('SO', 'NC', 'OC') + six();
    if (type === 'charity') return chance(0.4) ? (chance(0.5) ? 'CE' + six() : String(int(1_000_000, 9_999_999)).padStart(8, '0')) : null;
    return null;
  }

  const vat = () => {
    const first7 = String(int(1, 9)) + digits(6);
    return `GB${vatDigits(first7, chance(0.5) ? 0 : 55)}`;
  };
  const utr = () => utrDigits(digits(9));

  /** Consecutive periods from `start`: `count` entries, the last still current (no end date). */
  function periods(start: number, count: number): { from: string; to: string | null }[] {
    const moves = Array.from({ length: count - 1 }, () => int(start + 60, AS_OF - 30)).sort((a, b) => a - b);
    const starts = [start];
    for (const move of moves) starts.push(Math.max(move, starts[starts.length - 1]! + 30));
    return starts.map((from, k) => ({ from: day(from), to: k + 1 < starts.length ? day(starts[k + 1]! - 1) : null }));
  }

  function* addressHistory(
    i: number,
    owner: { type: 'client' | 'contact'; ref: string },
    kind: string,
    home: District,
    start: number,
    count: number,
    business: boolean,
  ) {
    for (const { from, to } of periods(start, count)) {
      const district = chance(0.7) ? home : pick(DISTRICTS);
      const record: Rec = { ref: `AD-${String(++addressCount).padStart(6, '0')}`, owner: { ...owner }, kind };
      if (business && chance(0.4)) {
        record['line1'] = `Unit ${int(1, 40)}, ${pick(PLACE_WORDS)} ${pick(BUSINESS_PREMISES)}`;
        record['line2'] = `${int(1, 200)} ${pick(STREETS)}`;
      } else {
        record['line1'] = `${int(1, 250)} ${pick(STREETS)}`;
        if (chance(0.15)) record['line2'] = pick(['Flat 2', 'Flat 5', 'First Floor', 'Ground Floor', 'Suite 3']);
      }
      record['town'] = district.town;
      if (district.county) record['county'] = district.county;
      record['postcode'] = postcode(district);
      record['country'] = 'GB';
      record['from'] = from;
      if (to) record['to'] = to;

      const asDrawn = structuredClone(record);
      const planted: Planted[] = [];
      const kind2 = defect('addresses', ADDRESS_DEFECTS);
      if (kind2 === 'postcode') {
        record['postcode'] = (record['postcode'] as string).slice(0, -1);
        planted.push({ field: 'postcode', code: 'invalid_postcode', note: 'postcode cut short' });
      } else if (kind2 === 'dates_reversed') {
        record['to'] = day(daysOf(Number(from.slice(0, 4)) - 1, 6, 30));
        planted.push({ field: 'to', code: 'date_range', note: 'end date before start date' });
      } else if (kind2 === 'town') {
        delete record['town'];
        planted.push({ field: 'town', code: 'required', note: 'town missing' });
      } else if (kind2 === 'unknown_owner') {
        record['owner'] = { type: owner.type, ref: `${owner.type === 'client' ? 'CL' : 'CT'}-9${String(++unknownRefs).padStart(6, '0')}` };
      } else if (kind2 === 'country') {
        record['country'] = 'UK';
        planted.push({ field: 'country', code: 'invalid_country', note: "country 'UK' instead of the ISO code GB" });
      } else if (kind2 === 'from_invalid') {
        record['from'] = `${from.slice(0, 4)}-13-01`;
        planted.push({ field: 'from', code: 'invalid_date', note: 'start date with month 13' });
      } else if (kind2 === 'duplicate') {
        duplicateLater(i, 'addresses', record);
      }
      yield emit('addresses', record, planted, asDrawn);
    }
  }

  const ROLES: Record<ClientType, () => string[]> = {
    limited_company: () => [],
    llp: () => ['partner'],
    partnership: () => ['partner'],
    sole_trader: () => ['owner'],
    charity: () => ['trustee'],
    trust: () => ['trustee'],
    other: () => [pick(['primary_contact', 'other'])],
  };

  function rolesFor(type: ClientType, k: number): string[] {
    if (type === 'limited_company') {
      if (k === 0) return chance(0.4) ? ['director', 'shareholder'] : ['director'];
      return [
        weighted([
          ['director', 50],
          ['secretary', 20],
          ['shareholder', 15],
          ['primary_contact', 15],
        ]),
      ];
    }
    if ((type === 'sole_trader' || type === 'charity') && k > 0)
      return [k === 1 && type === 'charity' && chance(0.5) ? 'primary_contact' : type === 'charity' ? 'trustee' : 'primary_contact'];
    return ROLES[type]();
  }

  const contactsPerClient: Record<ClientType, () => number> = {
    limited_company: () =>
      weighted([
        [1, 35],
        [2, 40],
        [3, 20],
        [4, 5],
      ]),
    llp: () => int(2, 4),
    partnership: () => int(2, 3),
    sole_trader: () =>
      weighted([
        [1, 70],
        [2, 30],
      ]),
    charity: () => int(2, 4),
    trust: () => int(2, 3),
    other: () => int(1, 2),
  };

  const flushDuplicates = function* (i: number): Generator<GeneratedRecord> {
    for (let k = 0; k < pendingDuplicates.length;) {
      const due = pendingDuplicates[k]!;
      if (due.due <= i) {
        pendingDuplicates.splice(k, 1);
        if (!options.corrected) yield emit(due.type, due.record, []);
      } else k++;
    }
  };

  for (let i = 1; i <= options.clients; i++) {
    yield* flushDuplicates(i);
    const type = weighted<ClientType>([
      ['limited_company', 52],
      ['sole_trader', 18],
      ['partnership', 8],
      ['llp', 5],
      ['charity', 6],
      ['trust', 7],
      ['other', 4],
    ]);
    const district = pick(DISTRICTS);
    const { name, main, trade } = clientName(type, district);
    const domain = `${slug(main)}${slug(trade).slice(0, 12)}.co.uk`;
    const ref = `CL-${String(i).padStart(6, '0')}`;
    const client: Rec = {
      ref,
      clientReference: `${slug(main).toUpperCase().padEnd(3, 'X').slice(0, 4)}${String(i).padStart(4, '0')}`,
      name,
      clientType: type,
    };
    const number = companyNumber(type, district);
    if (number) client['companyNumber'] = number;
    const vatShare = { limited_company: 0.7, llp: 0.6, partnership: 0.5, sole_trader: 0.35, charity: 0.15, trust: 0, other: 0.1 }[type];
    if (chance(vatShare)) client['vatNumber'] = vat();
    if (chance(type === 'charity' || type === 'other' ? 0.3 : 0.9)) client['utr'] = utr();
    if (chance(0.9)) client['email'] = `${pick(['info', 'accounts', 'hello', 'office', 'admin'])}@${domain}`;
    if (chance(0.8)) client['phone'] = phone(district);
    if (chance(0.45)) client['website'] = `${chance(0.7) ? 'https://' : ''}www.${domain}`;

    const asDrawn = structuredClone(client);
    const planted: Planted[] = [];
    const kind = defect('clients', CLIENT_DEFECTS);
    if (kind === 'vat' || kind === 'vat_and_utr') {
      client['vatNumber'] = `GB${badVatDigits(String(int(1, 9)) + digits(6))}`;
      planted.push({ field: 'vatNumber', code: 'invalid_vat_number', note: 'VAT number with wrong check digits' });
    }
    if (kind === 'utr' || kind === 'vat_and_utr') {
      client['utr'] = badUtrDigits(digits(9));
      planted.push({ field: 'utr', code: 'invalid_utr', note: 'UTR with a wrong check digit' });
    }
    if (kind === 'company_number') {
      // A number that lost its leading zero is padded back (SPEC §4); one digit too many is truly invalid.
      client['companyNumber'] = String(int(100_000_000, 999_999_999));
      planted.push({ field: 'companyNumber', code: 'invalid_company_number', note: 'company number with 9 digits' });
    } else if (kind === 'email') {
      client['email'] = `accounts@${domain.replace('.co.uk', '')}`;
      planted.push({ field: 'email', code: 'invalid_email', note: 'email address without a domain ending' });
    } else if (kind === 'client_type') {
      client['clientType'] = pick(['Ltd', 'PLC', 'company']);
      planted.push({ field: 'clientType', code: 'invalid_value', note: 'client type not in the list' });
    } else if (kind === 'name') {
      client['name'] = '  ';
      planted.push({ field: 'name', code: 'required', note: 'name blank' });
    } else if (kind === 'phone') {
      client['phone'] = `01632 960${digits(3)}`;
      planted.push({ field: 'phone', code: 'invalid_phone', note: 'phone number in an unassigned range' });
    } else if (kind === 'website') {
      client['website'] = `www.${slug(main)} ${slug(trade)}.co.uk`;
      planted.push({ field: 'website', code: 'invalid_url', note: 'website with a space in it' });
    } else if (kind === 'duplicate') {
      duplicateLater(i, 'clients', client);
    }
    yield emit('clients', client, planted, asDrawn);

    const info: ClientInfo = { ref, type, contacts: 0 };
    const established = int(daysOf(1985), daysOf(2023));

    // Contacts, each with a home address history.
    const count = contactsPerClient[type]();
    const people: string[] = [];
    for (let k = 0; k < count; k++) {
      const who = person();
      const contactRef = `CT-${String(++contactCount).padStart(6, '0')}`;
      const links: Rec[] = rolesFor(type, k).map((role) => ({ ref, role }));
      // Some people serve several clients: a director of another company, a trustee of another trust.
      const open = recent.filter((c) => c.contacts < 4);
      const other = open.length > 20 && chance(0.06) ? pick(open) : undefined;
      if (other) {
        other.contacts++;
        links.push({ ref: other.ref, role: rolesFor(other.type, 1)[0]! });
      }
      const contact: Rec = { ref: contactRef };
      if (chance(0.8)) contact['title'] = who.title;
      contact['firstName'] = who.firstName;
      contact['lastName'] = who.lastName;
      if (chance(0.85)) contact['email'] = `${slug(who.firstName)}.${slug(who.lastName)}@${domain}`;
      if (chance(0.6)) contact['phone'] = phone(district);
      if (chance(0.7)) contact['dateOfBirth'] = day(int(daysOf(1945), daysOf(2000, 12, 31)));
      contact['clients'] = links;

      const asDrawnContact = structuredClone(contact);
      const plantedContact: Planted[] = [];
      const kindC = defect('contacts', CONTACT_DEFECTS);
      if (kindC === 'email') {
        contact['email'] = `${slug(who.firstName)}.${slug(who.lastName)}@@${domain}`;
        plantedContact.push({ field: 'email', code: 'invalid_email', note: 'email address with @@' });
      } else if (kindC === 'dob_future') {
        contact['dateOfBirth'] = `20${int(70, 99)}-0${int(1, 9)}-1${int(0, 9)}`;
        plantedContact.push({ field: 'dateOfBirth', code: 'date_not_in_past', note: 'date of birth in the future (19xx typed as 20xx)' });
      } else if (kindC === 'dob_invalid') {
        contact['dateOfBirth'] = `19${int(50, 99)}-02-30`;
        plantedContact.push({ field: 'dateOfBirth', code: 'invalid_date', note: 'date of birth 30 February' });
      } else if (kindC === 'last_name') {
        delete contact['lastName'];
        plantedContact.push({ field: 'lastName', code: 'required', note: 'last name missing' });
      } else if (kindC === 'role') {
        links[0]!['role'] = pick(['chairman', 'bookkeeper', 'spouse']);
        plantedContact.push({ field: 'clients[0].role', code: 'invalid_value', note: 'role not in the list' });
      } else if (kindC === 'unknown_client') {
        links.push({ ref: `CL-9${String(++unknownRefs).padStart(6, '0')}`, role: 'director' });
      } else if (kindC === 'phone') {
        contact['phone'] = `07${digits(4)}`;
        plantedContact.push({ field: 'phone', code: 'invalid_phone', note: 'phone number cut short' });
      } else if (kindC === 'duplicate') {
        duplicateLater(i, 'contacts', contact);
      }
      yield emit('contacts', contact, plantedContact, asDrawnContact);
      people.push(contactRef);
    }
    info.contacts = count;

    // The client's addresses: a registered office for companies, a trading address otherwise; some both.
    const incorporated = type === 'limited_company' || type === 'llp' || (type === 'charity' && client['companyNumber'] !== undefined);
    const mainKind = incorporated ? 'registered' : type === 'trust' ? 'correspondence' : 'trading';
    yield* addressHistory(
      i,
      { type: 'client', ref },
      mainKind,
      district,
      established,
      weighted([
        [1, 55],
        [2, 32],
        [3, 13],
      ]),
      true,
    );
    if (incorporated && chance(0.25))
      yield* addressHistory(i, { type: 'client', ref }, 'trading', district, int(established, AS_OF - 400), 1, true);
    for (const contactRef of people) {
      if (chance(0.75))
        yield* addressHistory(
          i,
          { type: 'contact', ref: contactRef },
          'home',
          district,
          int(daysOf(1995), daysOf(2020)),
          weighted([
            [1, 65],
            [2, 35],
          ]),
          false,
        );
    }

    recent.push(info);
    if (recent.length > 300) recent.shift();
  }
  yield* flushDuplicates(Number.POSITIVE_INFINITY);
}
