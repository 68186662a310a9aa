// An address record's checks (SPEC §4): owner, kind, lines, postcodes by country, dates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAddress } from '../../src/intake/validate-record.ts';
import { fields, only, address } from '../helpers/validate-samples.ts';

test('a valid UK address normalises, country defaults to GB', () => {
  const r = checkAddress({
    ref: ' A-1 ',
    owner: { type: 'Client', ref: ' C-1001 ' },
    kind: 'Registered',
    line1: ' 10 Downing Street ',
    line2: '',
    town: ' London ',
    county: '  ',
    postcode: ' sw1a2aa ',
    from: '2021-05-01',
    to: '',
  });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.values, {
    ref: 'A-1',
    ownerType: 'client',
    ownerRef: 'C-1001',
    kind: 'registered',
    line1: '10 Downing Street',
    line2: null,
    town: 'London',
    county: null,
    postcode: 'SW1A 2AA',
    country: 'GB',
    from: '2021-05-01',
    to: null,
  });
  assert.equal(checkAddress({ ...address, country: 'gb', postcode: 'ec1a  1bb' }).values.postcode, 'EC1A 1BB');
});

test('UK postcodes are validated', () => {
  const e = only(checkAddress({ ...address, postcode: 'XYZ 123' }).errors, 'postcode');
  assert.equal(e.code, 'invalid_postcode');
  assert.equal(e.reason, "Postcode 'XYZ 123' is not a valid UK postcode.");
  const jersey = only(checkAddress({ ...address, postcode: 'JE2 3AB' }).errors, 'postcode');
  assert.equal(jersey.reason, "Postcode 'JE2 3AB' is a Jersey postcode: the country should be JE.");
  assert.deepEqual(checkAddress({ ...address, country: 'JE', postcode: 'je2 3ab' }).errors, []);
  assert.equal(only(checkAddress({ ...address, country: 'GB', postcode: '12345' }).errors, 'postcode').code, 'invalid_postcode');
  assert.equal(only(checkAddress({ ...address, postcode: '' }).errors, 'postcode').code, 'required');
  assert.equal(checkAddress({ ...address, postcode: 'XYZ 123' }).values.postcode, null);
});

test('postcodes of countries without a rule are accepted as 1–16 characters; Irish ones are Eircodes', () => {
  const fr = checkAddress({ ...address, town: 'Paris', country: 'fr', postcode: ' 75001 ' });
  assert.deepEqual(fr.errors, []);
  assert.equal(fr.values.country, 'FR');
  assert.equal(fr.values.postcode, '75001');
  assert.equal(checkAddress({ ...address, country: 'IE', postcode: 'd02x285' }).values.postcode, 'D02 X285');
  assert.equal(only(checkAddress({ ...address, country: 'IE', postcode: 'Dublin 2' }).errors, 'postcode').code, 'invalid_postcode');
  assert.equal(only(checkAddress({ ...address, country: 'US', postcode: '1'.repeat(17) }).errors, 'postcode').code, 'too_long');
  assert.equal(only(checkAddress({ ...address, country: 'US', postcode: ' ' }).errors, 'postcode').code, 'required');
});

test('country must be an ISO 3166-1 alpha-2 code', () => {
  for (const bad of ['XX', 'GBR', '826', 'UK', 'England']) {
    const r = checkAddress({ ...address, country: bad });
    const e = only(r.errors, 'country');
    assert.equal(e.code, 'invalid_country', bad);
    assert.equal(r.values.country, null);
    // the postcode of an unknown country is not held to UK rules
    assert.equal(r.values.postcode, 'SW1A 2AA');
  }
  assert.equal(only(checkAddress({ ...address, country: 44 }).errors, 'country').code, 'invalid_type');
  assert.equal(checkAddress({ ...address, country: null }).values.country, 'GB');
});

test('address owner is a required {type, ref} object', () => {
  const missing = checkAddress({ ...address, owner: undefined });
  assert.equal(only(missing.errors, 'owner').code, 'required');
  assert.equal(only(checkAddress({ ...address, owner: 'C-1001' }).errors, 'owner').code, 'invalid_type');
  assert.equal(only(checkAddress({ ...address, owner: [] }).errors, 'owner').code, 'invalid_type');
  const r = checkAddress({ ...address, owner: { type: 'company', ref: '' } });
  assert.deepEqual(
    r.errors.map((e) => [e.field, e.code]),
    [
      ['owner.type', 'invalid_value'],
      ['owner.ref', 'required'],
    ],
  );
  assert.equal(only(r.errors, 'owner.type').reason, "Owner type 'company' is not one of: client, contact.");
  const contactOwned = checkAddress({ ...address, owner: { type: 'contact', ref: 'P-1' } });
  assert.equal(contactOwned.values.ownerType, 'contact');
  assert.equal(contactOwned.values.ownerRef, 'P-1');
});

test('address kind, lines and town', () => {
  assert.equal(only(checkAddress({ ...address, kind: 'billing' }).errors, 'kind').code, 'invalid_value');
  assert.equal(checkAddress({ ...address, kind: '' }).values.kind, null);
  const r = checkAddress({ ...address, line1: '', town: 't'.repeat(201), line2: 'l'.repeat(201) });
  assert.deepEqual(
    r.errors.map((e) => [e.field, e.code]),
    [
      ['line1', 'required'],
      ['line2', 'too_long'],
      ['town', 'too_long'],
    ],
  );
});

test('address dates: from required, to optional, from ≤ to, real dates', () => {
  const range = checkAddress({ ...address, from: '2021-05-01', to: '2020-01-01' });
  const e = only(range.errors, 'to');
  assert.equal(e.code, 'date_range');
  assert.equal(e.reason, 'The end date 2020-01-01 is before the start date 2021-05-01.');
  assert.equal(range.values.to, null);
  assert.equal(range.values.from, '2021-05-01');

  assert.deepEqual(checkAddress({ ...address, from: '2021-05-01', to: '2021-05-01' }).errors, []);
  assert.equal(checkAddress({ ...address, to: '2030-01-01' }).values.to, '2030-01-01');
  assert.equal(checkAddress({ ...address, from: '2024-02-29' }).values.from, '2024-02-29');

  const notLeap = only(checkAddress({ ...address, from: '2023-02-29' }).errors, 'from');
  assert.equal(notLeap.code, 'invalid_date');
  assert.equal(notLeap.reason, "Start date '2023-02-29' is not a real date in the form YYYY-MM-DD.");
  assert.equal(only(checkAddress({ ...address, from: undefined }).errors, 'from').code, 'required');
  assert.equal(only(checkAddress({ ...address, to: '31/12/2020' }).errors, 'to').code, 'invalid_date');
  // an invalid from does not also produce a range error
  assert.deepEqual(fields(checkAddress({ ...address, from: 'soon', to: '2020-01-01' }).errors), ['from']);
});

test('every failing field of an address is reported at once', () => {
  const r = checkAddress({
    owner: { type: 'client' },
    line1: '1 High St',
    country: 'GB',
    postcode: 'NOPE',
    from: '2022-01-01',
    to: '2021-01-01',
  });
  assert.deepEqual(fields(r.errors), ['ref', 'owner.ref', 'town', 'postcode', 'to']);
});
