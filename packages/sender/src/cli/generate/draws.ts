// The seeded draws every generated record is made of (faker's generator, so one seed gives one export), and the
// calendar they are drawn on.
import { Faker, base, en, en_GB } from '@faker-js/faker';

export interface Draws {
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: [T, number][]): T;
  /** `n` random decimal digits. */
  digits(n: number): string;
}

export function seededDraws(seed: number): Draws {
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(seed);
  const int = (min: number, max: number) => faker.number.int({ min, max });
  return {
    int,
    chance: (p) => faker.number.float({ min: 0, max: 1 }) < p,
    pick: (items) => faker.helpers.arrayElement(items),
    weighted: (items) => faker.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight }))),
    digits: (n) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
  };
}

/** Dates are drawn before this day, so a seed gives the same export whenever it runs and every date stays past. */
export const AS_OF = Date.UTC(2025, 0, 1) / 86_400_000;
/** Day number (days since 1970) → 'YYYY-MM-DD'. */
export const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
export const daysOf = (year: number, month = 1, dayOfMonth = 1) => Date.UTC(year, month - 1, dayOfMonth) / 86_400_000;

/** Lower-case letters only, for email addresses, domains and client references. */
export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z]/g, '');
