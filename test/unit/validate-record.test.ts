// What every record check shares (SPEC §4): a record that is not an object, the checker per record type, and
// error codes that read as sentences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES } from '../../src/contract/records.ts';
import { checkAddress, checkClient, checkContact, checkers } from '../../src/intake/validate-record.ts';
import { client, address } from '../helpers/validate-samples.ts';

test('a record that is not a JSON object gets one not_an_object error and null values', () => {
  for (const raw of [null, undefined, 42, 'C-1', true, [], [client]]) {
    const c = checkClient(raw);
    assert.deepEqual(c.errors, [{ field: '', code: 'not_an_object', reason: 'The record is not a JSON object.' }]);
    assert.ok(Object.values(c.values).every((v) => v === null));
    const p = checkContact(raw);
    assert.equal(p.errors.length, 1);
    assert.equal(p.errors[0]!.code, 'not_an_object');
    assert.deepEqual(p.values.clients, []);
    assert.equal(p.values.ref, null);
    const a = checkAddress(raw);
    assert.equal(a.errors[0]!.code, 'not_an_object');
    assert.ok(Object.values(a.values).every((v) => v === null));
  }
});

test('checkers maps each record type to its checker', () => {
  assert.equal(checkers.clients, checkClient);
  assert.equal(checkers.contacts, checkContact);
  assert.equal(checkers.addresses, checkAddress);
  assert.deepEqual(checkers.addresses(address).errors, []);
});

test('every error uses a known code and reads as a sentence', () => {
  const results = [
    checkClient({ ref: 1, clientType: 'x', companyNumber: 'x', vatNumber: 'x', utr: 'x', email: 'x', phone: 'x', website: 'x' }),
    checkContact({ dateOfBirth: 'x', niNumber: 'x', clients: [1, {}] }),
    checkAddress({ owner: {}, country: 'x', from: 'x', to: 'x' }),
    checkClient('x'),
  ];
  for (const { errors } of results) {
    for (const e of errors) {
      assert.ok((ERROR_CODES as readonly string[]).includes(e.code), e.code);
      assert.match(e.reason, /^[A-Z].*\.$/, e.reason);
    }
  }
});
