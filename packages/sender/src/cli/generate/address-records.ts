// A generated address history of a client or a contact: consecutive, non-overlapping periods, the last one
// current, mostly in the owner's district — and, for a planted share, one failure of a kind the server must report.
import type { Planted } from './expected-outcome.ts';
import { AS_OF, day, daysOf, type Draws } from './draws.ts';
import type { GeneratedRecord, Planting, Rec } from './planting.ts';
import { BUSINESS_PREMISES, DISTRICTS, PLACE_WORDS, postcodeIn, STREETS, type District } from './uk-places.ts';

const ADDRESS_DEFECTS = ['postcode', 'dates_reversed', 'town', 'unknown_owner', 'country', 'from_invalid', 'duplicate'] as const;

/** Consecutive periods from `start`: `count` entries, the last still current (no end date). */
function periods(draw: Draws, start: number, count: number): { from: string; to: string | null }[] {
  const moves = Array.from({ length: count - 1 }, () => draw.int(start + 60, AS_OF - 30)).sort((a, b) => a - b);
  const starts = [start];
  for (const move of moves) starts.push(Math.max(move, starts[starts.length - 1]! + 30));
  return starts.map((from, k) => ({ from: day(from), to: k + 1 < starts.length ? day(starts[k + 1]! - 1) : null }));
}

export interface AddressesOf {
  /** Which client of the export this is (duplicates are due a few clients later). */
  i: number;
  owner: { type: 'client' | 'contact'; ref: string };
  kind: string;
  home: District;
  /** Day number the first period starts. */
  start: number;
  count: number;
  /** Business premises (units on estates) are possible. */
  business: boolean;
}

/** `nextRef` numbers the addresses of the whole export. */
export function* addressHistory(draw: Draws, planting: Planting, of: AddressesOf, nextRef: () => string): Generator<GeneratedRecord> {
  const { i, owner, kind, home, start, count, business } = of;
  for (const { from, to } of periods(draw, start, count)) {
    const district = draw.chance(0.7) ? home : draw.pick(DISTRICTS);
    const record: Rec = { ref: nextRef(), owner: { ...owner }, kind };
    if (business && draw.chance(0.4)) {
      record['line1'] = `Unit ${draw.int(1, 40)}, ${draw.pick(PLACE_WORDS)} ${draw.pick(BUSINESS_PREMISES)}`;
      record['line2'] = `${draw.int(1, 200)} ${draw.pick(STREETS)}`;
    } else {
      record['line1'] = `${draw.int(1, 250)} ${draw.pick(STREETS)}`;
      if (draw.chance(0.15)) record['line2'] = draw.pick(['Flat 2', 'Flat 5', 'First Floor', 'Ground Floor', 'Suite 3']);
    }
    record['town'] = district.town;
    if (district.county) record['county'] = district.county;
    record['postcode'] = postcodeIn(draw, district);
    record['country'] = 'GB';
    record['from'] = from;
    if (to) record['to'] = to;

    const kind2 = planting.defect('addresses', ADDRESS_DEFECTS);
    // Only a record with a planted failure differs from the record as drawn (what the corrected export sends).
    const asDrawn = kind2 === null ? undefined : structuredClone(record);
    const planted: Planted[] = [];
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
      record['owner'] = { type: owner.type, ref: planting.unknownRef(owner.type === 'client' ? 'CL' : 'CT') };
    } else if (kind2 === 'country') {
      record['country'] = 'UK';
      planted.push({ field: 'country', code: 'invalid_country', note: "country 'UK' instead of the ISO code GB" });
    } else if (kind2 === 'from_invalid') {
      record['from'] = `${from.slice(0, 4)}-13-01`;
      planted.push({ field: 'from', code: 'invalid_date', note: 'start date with month 13' });
    } else if (kind2 === 'duplicate') {
      planting.duplicateLater(i, 'addresses', record);
    }
    yield planting.emit('addresses', record, planted, asDrawn);
  }
}
