// Postcodes by country (SPEC §4 postcode). Any other country: any non-empty text, kept as sent.
//
// GB and the Crown Dependencies: the Royal Mail postcode format (the `postcode` library checks it). Jersey, Guernsey
// and the Isle of Man use it with their own areas — JE, GY and IM (Royal Mail, "Postcode Address File programmers'
// guide") — so an area is accepted only for its own country, and a GB address cannot carry one. Two
// non-geographic forms are GB only: GIR 0AA (Girobank, Royal Mail's one postcode outside the format) and
// BFPO followed by 1–4 digits (British Forces Post Office numbers, e.g. BFPO 801).
// IE: an Eircode (Eircode, "Eircode Address Database" format): a routing key — a letter and 2 digits, or D6W — and
// a unique identifier of 4 characters; the letters are only A C D E F H K N P R T V W X Y, the identifier's may
// also be digits. Normalised with one space: "A65 F4E2".
import { isValid, toArea, toNormalised } from 'postcode';
import { invalid, valid, type Parsed } from './parsed.ts';

const SPACES_RE = /\s+/g;
const BFPO_RE = /^BFPO(\d{1,4})$/;
const EIRCODE_RE = /^([ACDEFHKNPRTVWXY]\d{2}|D6W)([0-9ACDEFHKNPRTVWXY]{4})$/;

/** The Crown Dependencies' postcode areas; each country accepts its own only. */
const DEPENDENCIES = [
  { country: 'JE', area: 'JE', place: 'Jersey' },
  { country: 'GG', area: 'GY', place: 'Guernsey' },
  { country: 'IM', area: 'IM', place: 'Isle of Man' },
] as const;
type Dependency = (typeof DEPENDENCIES)[number];
const BY_COUNTRY = new Map<string, Dependency>(DEPENDENCIES.map((d) => [d.country, d]));
const BY_AREA = new Map<string, Dependency>(DEPENDENCIES.map((d) => [d.area, d]));

// The postcode library's format (its POSTCODE_REGEX) on text without spaces, in upper case: area letters, the rest
// of the outward code, the inward code. Why: the library checks the format again in each of isValid, toNormalised
// and toArea (five times, with two clean-ups of the text), ~1 µs a postcode, a third of an addresses batch's
// checks; this reads the three parts from one match. It answers only what the library accepts, with the parts
// the library gives; anything else goes to the library. test/unit/identifier-fast-paths.test.ts compares the two.
const PLAIN_RE = /^([A-Z]{1,2})(\d[A-Z\d]?)(\d[A-Z]{2})$/;

/** The normalised form and area of `compact` (spaces removed, upper case) when it is a UK-format postcode. */
export function plainUkFormat(compact: string): { postcode: string; area: string } | undefined {
  const parts = PLAIN_RE.exec(compact);
  return parts === null ? undefined : { postcode: `${parts[1]}${parts[2]} ${parts[3]}`, area: parts[1]! };
}

/** The normalised form and area of a UK-format postcode (`compact`: spaces removed, upper case), or null. */
export function ukFormat(compact: string): { postcode: string; area: string } | null {
  return plainUkFormat(compact) ?? libraryUkFormat(compact);
}

/** The format without the fast path: every postcode's answer is this one's (exported for the fast path's test). */
export function libraryUkFormat(compact: string): { postcode: string; area: string } | null {
  if (!isValid(compact)) return null;
  const postcode = toNormalised(compact);
  const area = toArea(compact);
  return postcode !== null && area !== null ? { postcode, area } : null;
}

/** `text` as a postcode of `country` (an ISO 3166-1 code upper-case); the text itself for unchecked countries. */
export function parsePostcode(text: string, country: string): Parsed {
  const compact = text.replace(SPACES_RE, '').toUpperCase();
  if (country === 'IE') {
    const eircode = EIRCODE_RE.exec(compact);
    return eircode ? valid(`${eircode[1]} ${eircode[2]}`) : invalid('is not a valid Eircode (e.g. A65 F4E2)');
  }
  const dependency = BY_COUNTRY.get(country);
  if (country !== 'GB' && !dependency) return valid(text);
  if (country === 'GB') {
    if (compact === 'GIR0AA') return valid('GIR 0AA');
    const bfpo = BFPO_RE.exec(compact);
    if (bfpo) return valid(`BFPO ${bfpo[1]}`);
  }
  const uk = ukFormat(compact);
  if (dependency) {
    return uk?.area === dependency.area
      ? valid(uk.postcode)
      : invalid(`is not a valid ${dependency.place} postcode (${dependency.place} postcodes start with ${dependency.area})`);
  }
  if (uk === null) return invalid('is not a valid UK postcode');
  const other = BY_AREA.get(uk.area);
  return other ? invalid(`is a ${other.place} postcode: the country should be ${other.country}`) : valid(uk.postcode);
}
