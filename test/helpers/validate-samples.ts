// What the record-check tests share: sample identifiers, one valid record of each type, and readers of the
// errors a check returns.
import assert from 'node:assert/strict';
import type { FieldError } from '../../src/contract/records.ts';

// Sample identifiers, confirmed valid / invalid against stdnum's GB validators in validate-client.test.ts.
export const VALID_VAT = '980780684';
export const VALID_VAT_2 = '434031494';
export const VALID_VAT_12 = '980780684001';
export const BAD_CHECKSUM_VAT = '123456789';
export const VALID_UTR = '1955839661';
export const BAD_UTR = '1234567890';

export function fields(errors: FieldError[]): string[] {
  return errors.map((e) => e.field);
}

export function only(errors: FieldError[], field: string): FieldError {
  const hits = errors.filter((e) => e.field === field);
  assert.equal(hits.length, 1, `expected exactly one error on ${field}, got ${JSON.stringify(errors)}`);
  return hits[0]!;
}

export function isoDay(offsetDays: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + offsetDays)).toISOString().slice(0, 10);
}

export const client = {
  ref: 'C-1001',
  clientReference: 'ACME01',
  name: 'Acme Widgets Limited',
  clientType: 'limited_company',
};

export const contact = {
  ref: 'P-1',
  firstName: 'Jane',
  lastName: 'Smith',
  clients: [{ ref: 'C-1001', role: 'director' }],
};

export const address = {
  ref: 'A-1',
  owner: { type: 'client', ref: 'C-1001' },
  line1: '10 Downing Street',
  town: 'London',
  postcode: 'SW1A 2AA',
  from: '2021-05-01',
};
