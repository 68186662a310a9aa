// The date check against a Date: isDate reads the digits itself and asks the calendar only for the last days of a
// month, so it is compared, for every day 00–32 of months 00–13 of the years whose calendar rules differ (leap
// years by 4, 100 and 400, years below 100 that Date.UTC reads as 19xx, the first and last four-digit years) and
// for mutations of well-formed dates, with an independent reading: the same digits set on a Date.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDate } from '../../src/intake/fields/date-fields.ts';
import { mutations } from '../helpers/draws.ts';

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

function judge(s: string): boolean {
  const parts = SHAPE.exec(s);
  if (parts === null) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return year >= 1 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const YEARS = [0, 1, 4, 99, 100, 400, 1582, 1900, 1999, 2000, 2023, 2024, 2100, 9999];
const two = (n: number) => String(n).padStart(2, '0');
const DAYS = YEARS.flatMap((year) =>
  Array.from({ length: 14 * 33 }, (_, i) => `${String(year).padStart(4, '0')}-${two(Math.floor(i / 33))}-${two(i % 33)}`),
);
const TRICKY = ['-', '/', ' ', '.', '0', '1', '9', '０', '١', 'a', 'T00:00', 'Z', '+'];

test('isDate answers as a Date does for every day of months 00–13 of 14 years, and for mutated dates', () => {
  const values = [...DAYS, ...mutations(DAYS.slice(0, 3_000), TRICKY, 5, 31), '', '2024-1-01', '20240101', '+02024-01-01'];
  for (const s of values) assert.equal(isDate(s), judge(s), JSON.stringify(s));
  // The comparison holds the days a loosened fast path would take: a 29th, 30th or 31st that does not exist.
  assert.deepEqual(
    ['2023-02-29', '2100-02-29', '2024-02-30', '2024-04-31', '0001-02-29'].map((s) => [values.includes(s), judge(s)]),
    Array.from({ length: 5 }, () => [true, false]),
  );
  assert.ok(values.filter(judge).length > 4_000, 'too few valid dates were compared');
});
