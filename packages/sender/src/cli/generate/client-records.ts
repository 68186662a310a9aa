// A generated client: its type (weighted like a practice's book), a name that fits the type, a company number of the
// right form for the type and nation, VAT number and UTR with correct check digits, contact details on its own
// domain — and, for a planted share, one failure of a kind the server must report. Two clients of one export never
// share an email domain or an identifier, and two organisations never share a name by Companies House's "same as"
// rules (ClientKeys): otherwise one product's export would hold pairs that look like one client without being
// planted as such.
import type { Planted } from './expected-outcome.ts';
import { slug, type Draws } from './draws.ts';
import type { GeneratedRecord, Planting, Rec } from './planting.ts';
import { badUtrDigits, badVatDigits, utrDigits, vatDigits } from './uk-check-digits.ts';
import { drawPerson, SURNAMES, TRADES } from './uk-names.ts';
import { DISTRICTS, phoneIn, PLACE_WORDS, type District } from './uk-places.ts';

export type ClientType = 'limited_company' | 'llp' | 'partnership' | 'sole_trader' | 'charity' | 'trust' | 'other';

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

function clientName(draw: Draws, type: ClientType, district: District): { name: string; main: string; trade: string } {
  const place = draw.pick(PLACE_WORDS);
  const trade = draw.pick(TRADES);
  const surname = draw.pick(SURNAMES);
  switch (type) {
    case 'limited_company':
      return draw.weighted<{ name: string; main: string; trade: string }>([
        [{ name: `${place} ${trade} Ltd`, main: place, trade }, 45],
        [{ name: `${surname} ${trade} Limited`, main: surname, trade }, 30],
        [{ name: `${surname} & ${draw.pick(SURNAMES)} Ltd`, main: surname, trade: 'partners' }, 15],
        [{ name: `${place} ${trade} (UK) Ltd`, main: place, trade }, 10],
      ]);
    case 'llp':
      return draw.chance(0.5)
        ? { name: `${surname} ${draw.pick(SURNAMES)} LLP`, main: surname, trade: 'llp' }
        : { name: `${surname} & Co ${draw.pick(['Solicitors', 'Chartered Surveyors', 'Architects'])} LLP`, main: surname, trade: 'co' };
    case 'partnership':
      return draw.chance(0.6)
        ? { name: `${surname} & ${draw.pick(SURNAMES)}`, main: surname, trade: 'partners' }
        : { name: `${surname} Brothers ${trade}`, main: surname, trade };
    case 'sole_trader': {
      const owner = drawPerson(draw);
      return draw.chance(0.5)
        ? { name: `${owner.firstName} ${owner.lastName}`, main: owner.lastName, trade }
        : { name: `${owner.firstName} ${owner.lastName} t/a ${place} ${trade}`, main: place, trade };
    }
    case 'charity':
      return draw.pick([
        { name: `${place} Community Trust`, main: place, trade: 'community' },
        { name: `Friends of ${district.town} ${draw.pick(['Park', 'Library', 'Hospice'])}`, main: district.town, trade: 'friends' },
        { name: `${place} Foodbank`, main: place, trade: 'foodbank' },
      ]);
    case 'trust':
      return draw.chance(0.6)
        ? { name: `The ${surname} Family Trust`, main: surname, trade: 'trust' }
        : { name: `${surname} Discretionary Trust`, main: surname, trade: 'settlement' };
    default:
      return draw.pick([
        { name: `${district.town} ${draw.pick(['Rugby', 'Cricket', 'Bowls'])} Club`, main: district.town, trade: 'club' },
        { name: `${place} Residents Association`, main: place, trade: 'residents' },
      ]);
  }
}

function companyNumber(draw: Draws, type: ClientType, district: District): string | null {
  const six = () => String(draw.int(0, 999_999)).padStart(6, '0');
  const prefix = (scotland: string, ni: string, england: string | null) =>
    district.nation === 'scotland' ? scotland : district.nation === 'northern_ireland' ? ni : england;
  if (type === 'limited_company') {
    const p = prefix('SC', 'NI', null);
    return p
      ? p + six()
      : String(
          draw.weighted([
            [draw.int(1_000_000, 9_999_999), 40],
            [draw.int(10_000_000, 15_999_999), 60],
          ]),
        ).padStart(8, '0');
  }
  if (type === 'llp') return prefix('SO', 'NC', 'OC') + six();
  if (type === 'charity')
    return draw.chance(0.4) ? (draw.chance(0.5) ? 'CE' + six() : String(draw.int(1_000_000, 9_999_999)).padStart(8, '0')) : null;
  return null;
}

/**
 * A name as the server's `fold_name` compares it (migration 0015: Companies House's "same as" rules), for the
 * names this generator writes: case, `&`/`and`, apostrophes, punctuation, a leading "The" and trailing legal
 * suffixes (`Ltd`, `Limited`, `LLP`, `Co`, `(UK)`) folded away.
 */
export function foldName(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/['’.]/g, '')
    .replace(/[&+]/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const folded = words
    .replace(/\band\b/g, ' ')
    .replace(/^\s*the\b/, '')
    .replace(/(\s+(public limited company|limited liability partnership|limited|ltd|plc|llp|company|co|uk|gb))+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return folded === '' ? words : folded;
}

/**
 * The names, email domains and identifiers an export has given out, so that no two of its clients look like one
 * (docs/decisions.md). An organisation whose name another already has gets a number after it, before any legal
 * suffix (`Pennine Joinery 2 Ltd`, as real registers hold): Companies House registers no second company or LLP of
 * one "same as" name, the Charity Commission no second charity, a town has one rugby club of its name, and a
 * practice tells two family trusts of one family apart by number (`The Turner Family Trust 2`). People's names —
 * sole traders, partnerships — may recur. A taken domain gets a number too (`penninejoinery2.co.uk`); neither
 * draws a random number, so every other record stays as it was. A company
 * number that another client has becomes the next free one, a VAT number or UTR is drawn again: two companies
 * never share a number, and two clients share a VAT number only as a VAT group, which is not planted by chance.
 */
export class ClientKeys {
  readonly #names = new Set<string>();
  readonly #domains = new Set<string>();
  readonly #identifiers = new Set<string>();

  name(name: string, type: ClientType): string {
    if (type === 'sole_trader' || type === 'partnership') return name;
    const [, stem, suffix] = /^(.*?)((?: \(UK\))? (?:Ltd|Limited|LLP))?$/.exec(name)!;
    let unique = name;
    for (let k = 2; this.#names.has(foldName(unique)); k++) unique = `${stem} ${k}${suffix ?? ''}`;
    this.#names.add(foldName(unique));
    return unique;
  }

  domain(stem: string): string {
    let unique = stem;
    for (let k = 2; this.#domains.has(unique); k++) unique = `${stem}${k}`;
    this.#domains.add(unique);
    return `${unique}.co.uk`;
  }

  /** `value`, or `another(taken)` until one is no other client's identifier of that field. */
  identifier(field: string, value: string, another: (taken: string) => string): string {
    let unique = value;
    while (this.#identifiers.has(`${field}:${unique}`)) unique = another(unique);
    this.#identifiers.add(`${field}:${unique}`);
    return unique;
  }
}

/** The next company number of the same form (its prefix kept, the last six digits plus one). */
const nextCompanyNumber = (n: string) => n.slice(0, -6) + String((Number(n.slice(-6)) + 1) % 1_000_000).padStart(6, '0');

const vat = (draw: Draws) => {
  const first7 = String(draw.int(1, 9)) + draw.digits(6);
  return `GB${vatDigits(first7, draw.chance(0.5) ? 0 : 55)}`;
};
const utr = (draw: Draws) => utrDigits(draw.digits(9));

export interface DrawnClient {
  emitted: GeneratedRecord;
  ref: string;
  type: ClientType;
  district: District;
  /** The domain of its email addresses and website, which its contacts' addresses share. */
  domain: string;
  /** A company, an LLP or a charity with a company number: its main address is the registered office. */
  incorporated: boolean;
}

/** The `i`th client of the export. */
export function drawClient(draw: Draws, planting: Planting, keys: ClientKeys, i: number): DrawnClient {
  const type = draw.weighted<ClientType>([
    ['limited_company', 52],
    ['sole_trader', 18],
    ['partnership', 8],
    ['llp', 5],
    ['charity', 6],
    ['trust', 7],
    ['other', 4],
  ]);
  const district = draw.pick(DISTRICTS);
  const drawn = clientName(draw, type, district);
  const { main, trade } = drawn;
  const name = keys.name(drawn.name, type);
  const domain = keys.domain(`${slug(main)}${slug(trade).slice(0, 12)}`);
  const ref = `CL-${String(i).padStart(6, '0')}`;
  const client: Rec = {
    ref,
    clientReference: `${slug(main).toUpperCase().padEnd(3, 'X').slice(0, 4)}${String(i).padStart(4, '0')}`,
    name,
    clientType: type,
  };
  const drawnNumber = companyNumber(draw, type, district);
  const number = drawnNumber && keys.identifier('companyNumber', drawnNumber, nextCompanyNumber);
  if (number) client['companyNumber'] = number;
  const vatShare = { limited_company: 0.7, llp: 0.6, partnership: 0.5, sole_trader: 0.35, charity: 0.15, trust: 0, other: 0.1 }[type];
  if (draw.chance(vatShare)) client['vatNumber'] = keys.identifier('vatNumber', vat(draw), () => vat(draw));
  if (draw.chance(type === 'charity' || type === 'other' ? 0.3 : 0.9)) client['utr'] = keys.identifier('utr', utr(draw), () => utr(draw));
  if (draw.chance(0.9)) client['email'] = `${draw.pick(['info', 'accounts', 'hello', 'office', 'admin'])}@${domain}`;
  if (draw.chance(0.8)) client['phone'] = phoneIn(draw, district);
  if (draw.chance(0.45)) client['website'] = `${draw.chance(0.7) ? 'https://' : ''}www.${domain}`;

  const kind = planting.defect('clients', CLIENT_DEFECTS);
  // Only a record with a planted failure differs from the record as drawn (what the corrected export sends).
  const asDrawn = kind === null ? undefined : structuredClone(client);
  const planted: Planted[] = [];
  if (kind === 'vat' || kind === 'vat_and_utr') {
    client['vatNumber'] = `GB${badVatDigits(String(draw.int(1, 9)) + draw.digits(6))}`;
    planted.push({ field: 'vatNumber', code: 'invalid_vat_number', note: 'VAT number with wrong check digits' });
  }
  if (kind === 'utr' || kind === 'vat_and_utr') {
    client['utr'] = badUtrDigits(draw.digits(9));
    planted.push({ field: 'utr', code: 'invalid_utr', note: 'UTR with a wrong check digit' });
  }
  if (kind === 'company_number') {
    // A number that lost its leading zero is padded back (SPEC §4); one digit too many is truly invalid.
    client['companyNumber'] = String(draw.int(100_000_000, 999_999_999));
    planted.push({ field: 'companyNumber', code: 'invalid_company_number', note: 'company number with 9 digits' });
  } else if (kind === 'email') {
    client['email'] = `accounts@${domain.replace('.co.uk', '')}`;
    planted.push({ field: 'email', code: 'invalid_email', note: 'email address without a domain ending' });
  } else if (kind === 'client_type') {
    client['clientType'] = draw.pick(['Ltd', 'PLC', 'company']);
    planted.push({ field: 'clientType', code: 'invalid_value', note: 'client type not in the list' });
  } else if (kind === 'name') {
    client['name'] = '  ';
    planted.push({ field: 'name', code: 'required', note: 'name blank' });
  } else if (kind === 'phone') {
    client['phone'] = `01632 960${draw.digits(3)}`;
    planted.push({ field: 'phone', code: 'invalid_phone', note: 'phone number in an unassigned range' });
  } else if (kind === 'website') {
    client['website'] = `www.${slug(main)} ${slug(trade)}.co.uk`;
    planted.push({ field: 'website', code: 'invalid_url', note: 'website with a space in it' });
  } else if (kind === 'duplicate') {
    planting.duplicateLater(i, 'clients', client);
  }
  const emitted = planting.emit('clients', client, planted, asDrawn);
  const incorporated = type === 'limited_company' || type === 'llp' || (type === 'charity' && client['companyNumber'] !== undefined);
  return { emitted, ref, type, district, domain, incorporated };
}
