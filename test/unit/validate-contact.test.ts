// A contact record's checks (SPEC §4): names, date of birth, NI number and its links to clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mask } from '../../src/intake/fields/field-reader.ts';
import { checkContact } from '../../src/intake/validate-record.ts';
import { only, isoDay, contact } from '../helpers/validate-samples.ts';

test('a valid contact normalises', () => {
  const r = checkContact({
    ref: ' P-1 ',
    title: ' Dr ',
    firstName: ' Jane ',
    lastName: ' Smith ',
    email: 'Jane@Example.com',
    phone: '07911 123456',
    dateOfBirth: ' 1980-05-17 ',
    niNumber: ' ab 12 34 56 c ',
    clients: [
      { ref: ' C-1001 ', role: 'Director' },
      { ref: 'C-1002', role: 'primary_contact', extra: 1 },
    ],
  });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.values, {
    ref: 'P-1',
    title: 'Dr',
    firstName: 'Jane',
    lastName: 'Smith',
    email: 'Jane@example.com',
    phone: '+447911123456',
    dateOfBirth: '1980-05-17',
    niNumber: 'AB123456C',
    clients: [
      { ref: 'C-1001', role: 'director' },
      { ref: 'C-1002', role: 'primary_contact' },
    ],
  });
});

test('contact: required fields and empty optionals', () => {
  const r = checkContact({ title: '', firstName: ' ', dateOfBirth: '' });
  assert.deepEqual(
    r.errors.map((e) => [e.field, e.code]),
    [
      ['ref', 'required'],
      ['lastName', 'required'],
      ['clients', 'required'],
    ],
  );
  assert.equal(r.values.title, null);
  assert.equal(r.values.firstName, null);
  assert.equal(r.values.dateOfBirth, null);
  assert.equal(only(r.errors, 'lastName').reason, 'Last name is required.');
});

test('date of birth: a real past date; reasons mask it', () => {
  const dob = (v: unknown) => checkContact({ ...contact, dateOfBirth: v });
  assert.equal(dob('2024-02-29').values.dateOfBirth, '2024-02-29'); // leap day
  assert.equal(dob(isoDay(-1)).values.dateOfBirth, isoDay(-1));

  const notLeap = only(dob('2023-02-29').errors, 'dateOfBirth');
  assert.equal(notLeap.code, 'invalid_date');
  assert.equal(notLeap.reason, "Date of birth '*******-29' is not a real date in the form YYYY-MM-DD.");

  // Years 0001–0099 are real years (not 1901–1999), with their own leap years.
  for (const early of ['0001-01-01', '0099-12-31', '0004-02-29', '0400-02-29']) assert.equal(dob(early).values.dateOfBirth, early, early);
  assert.equal(only(dob('0100-02-29').errors, 'dateOfBirth').code, 'invalid_date');
  assert.equal(only(dob('0003-02-29').errors, 'dateOfBirth').code, 'invalid_date');

  for (const bad of [
    '1980-13-01',
    '1980-04-31',
    '1980-00-10',
    '1980-01-00',
    '17/05/1980',
    '1980-5-17',
    '1980-05-17T00:00:00Z',
    '0000-01-01',
    '19800517',
  ]) {
    const e = only(dob(bad).errors, 'dateOfBirth');
    assert.equal(e.code, 'invalid_date', bad);
    assert.ok(!e.reason.includes(bad), e.reason);
  }

  for (const future of [isoDay(0), isoDay(1), '2999-12-31']) {
    const e = only(dob(future).errors, 'dateOfBirth');
    assert.equal(e.code, 'date_not_in_past', future);
    assert.equal(e.reason, `Date of birth '${mask(future)}' is not in the past.`);
    assert.ok(!e.reason.includes(future.slice(0, 7)), e.reason);
  }
  assert.equal(dob('2999-12-31').values.dateOfBirth, null);
  assert.equal(only(dob(19800517).errors, 'dateOfBirth').code, 'invalid_type');
});

test('NI number: HMRC prefix rules; reasons mask it to its last 3 characters', () => {
  const e = only(checkContact({ ...contact, niNumber: 'QQ123456C' }).errors, 'niNumber');
  assert.equal(e.code, 'invalid_ni_number');
  assert.equal(e.reason, "NI number '******56C' is not a valid National Insurance number: HMRC never issues that prefix.");
  assert.equal(checkContact({ ...contact, niNumber: '' }).values.niNumber, null);
});

test('contact.clients must be a non-empty list of at most 100 links', () => {
  const links = (v: unknown) => checkContact({ ...contact, clients: v });
  const missing = only(checkContact({ ref: 'P-1', lastName: 'Smith' }).errors, 'clients');
  assert.equal(missing.code, 'required');
  assert.equal(only(links(null).errors, 'clients').code, 'required');
  assert.equal(only(links({ ref: 'C-1', role: 'director' }).errors, 'clients').code, 'invalid_type');
  assert.equal(only(links('C-1').errors, 'clients').code, 'invalid_type');
  const empty = only(links([]).errors, 'clients');
  assert.equal(empty.code, 'empty_list');
  assert.equal(links([]).values.clients.length, 0);

  const hundred = Array.from({ length: 100 }, (_, i) => ({ ref: `C-${i}`, role: 'shareholder' }));
  assert.deepEqual(links(hundred).errors, []);
  assert.equal(links(hundred).values.clients.length, 100);
  const tooMany = links([...hundred, { ref: 'C-100', role: 'shareholder' }]);
  assert.equal(only(tooMany.errors, 'clients').code, 'too_long');
  assert.equal(tooMany.errors.length, 1);
});

test('each client link is checked, one value per element, errors at clients[i]', () => {
  const r = checkContact({
    ...contact,
    clients: [{ ref: 'C-1', role: 'director' }, 'C-2', { ref: '', role: 'ceo' }, { ref: 7, role: 'owner' }, { ref: 'r'.repeat(65) }],
  });
  assert.deepEqual(
    r.errors.map((e) => [e.field, e.code]),
    [
      ['clients[1]', 'invalid_type'],
      ['clients[2].ref', 'required'],
      ['clients[2].role', 'invalid_value'],
      ['clients[3].ref', 'invalid_type'],
      ['clients[4].ref', 'too_long'],
      ['clients[4].role', 'required'],
    ],
  );
  assert.deepEqual(r.values.clients, [
    { ref: 'C-1', role: 'director' },
    { ref: null, role: null },
    { ref: null, role: null },
    { ref: null, role: 'owner' },
    { ref: null, role: null },
  ]);
  assert.equal(
    only(r.errors, 'clients[2].role').reason,
    "Role 'ceo' in client link 3 is not one of: director, shareholder, secretary, partner, trustee, owner, primary_contact, other.",
  );
  assert.equal(only(r.errors, 'clients[2].ref').reason, 'Client ref in client link 3 is required.');
});
