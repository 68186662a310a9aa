import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stdnum } from 'stdnum';
import { ERROR_CODES } from '../../src/contract/records.ts';
import type { FieldError } from '../../src/contract/records.ts';
import { mask, quote } from '../../src/intake/fields/field-reader.ts';
import { checkAddress, checkClient, checkContact, checkers } from '../../src/intake/validate-record.ts';

// Sample identifiers, confirmed valid / invalid against stdnum's GB validators in the first test below.
const VALID_VAT = '980780684';
const VALID_VAT_2 = '434031494';
const VALID_VAT_12 = '980780684001';
const BAD_CHECKSUM_VAT = '123456789';
const VALID_UTR = '1955839661';
const BAD_UTR = '1234567890';

function fields(errors: FieldError[]): string[] {
  return errors.map((e) => e.field);
}

function only(errors: FieldError[], field: string): FieldError {
  const hits = errors.filter((e) => e.field === field);
  assert.equal(hits.length, 1, `expected exactly one error on ${field}, got ${JSON.stringify(errors)}`);
  return hits[0]!;
}

function isoDay(offsetDays: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + offsetDays)).toISOString().slice(0, 10);
}

const client = {
  ref: 'C-1001',
  clientReference: 'ACME01',
  name: 'Acme Widgets Limited',
  clientType: 'limited_company',
};

const contact = {
  ref: 'P-1',
  firstName: 'Jane',
  lastName: 'Smith',
  clients: [{ ref: 'C-1001', role: 'director' }],
};

const address = {
  ref: 'A-1',
  owner: { type: 'client', ref: 'C-1001' },
  line1: '10 Downing Street',
  town: 'London',
  postcode: 'SW1A 2AA',
  from: '2021-05-01',
};

test('sample identifiers are what stdnum says they are', () => {
  const gb = stdnum['GB']!;
  assert.equal(gb['vat']!.validate(VALID_VAT).isValid, true);
  assert.equal(gb['vat']!.validate(VALID_VAT_2).isValid, true);
  assert.equal(gb['vat']!.validate(VALID_VAT_12).isValid, true);
  assert.equal(gb['vat']!.validate(BAD_CHECKSUM_VAT).isValid, false);
  assert.equal(gb['utr']!.validate(VALID_UTR).isValid, true);
  assert.equal(gb['utr']!.validate(BAD_UTR).isValid, false);
});

// ---------------------------------------------------------------------------------------------------------------
// Clients

test('a valid client with every field normalises', () => {
  const r = checkClient({
    ref: '  C-1001 ',
    clientReference: ' ACME01',
    name: ' Acme Widgets Limited ',
    clientType: ' Limited_Company ',
    companyNumber: ' sc 123456 ',
    vatNumber: ' gb 980 7806 84 ',
    utr: ' 19558 39661 ',
    email: '  Accounts@Acme-Widgets.CO.UK ',
    phone: ' 020 7946 0000 ',
    website: ' www.acme-widgets.co.uk ',
    somethingElse: { ignored: true },
  });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.values, {
    ref: 'C-1001',
    clientReference: 'ACME01',
    name: 'Acme Widgets Limited',
    clientType: 'limited_company',
    companyNumber: 'SC123456',
    vatNumber: 'GB980780684',
    utr: '1955839661',
    email: 'Accounts@acme-widgets.co.uk',
    phone: '+442079460000',
    website: 'www.acme-widgets.co.uk',
  });
});

test('a client with only the required fields has the optional ones null', () => {
  const r = checkClient(client);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.values, {
    ...client,
    companyNumber: null,
    vatNumber: null,
    utr: null,
    email: null,
    phone: null,
    website: null,
  });
});

test('empty and blank optional strings count as absent', () => {
  const r = checkClient({ ...client, companyNumber: '', vatNumber: '   ', utr: '', email: ' ', phone: '\t', website: null });
  assert.deepEqual(r.errors, []);
  assert.equal(r.values.companyNumber, null);
  assert.equal(r.values.vatNumber, null);
  assert.equal(r.values.utr, null);
  assert.equal(r.values.email, null);
  assert.equal(r.values.phone, null);
  assert.equal(r.values.website, null);
});

test('missing or blank required client fields are reported, each one', () => {
  const r = checkClient({ name: '   ' });
  assert.deepEqual(fields(r.errors), ['ref', 'clientReference', 'name', 'clientType']);
  assert.ok(r.errors.every((e) => e.code === 'required'));
  assert.equal(only(r.errors, 'name').reason, 'Name is required.');
  assert.equal(only(r.errors, 'clientReference').reason, 'Client reference is required.');
});

test('a record with three bad fields yields three errors', () => {
  const r = checkClient({ ...client, clientType: 'ltd', email: 'bob@', companyNumber: 'XYZ' });
  assert.equal(r.errors.length, 3);
  assert.deepEqual(
    r.errors.map((e) => [e.field, e.code]),
    [
      ['clientType', 'invalid_value'],
      ['companyNumber', 'invalid_company_number'],
      ['email', 'invalid_email'],
    ],
  );
  assert.equal(
    only(r.errors, 'clientType').reason,
    "Client type 'ltd' is not one of: limited_company, llp, partnership, sole_trader, charity, trust, other.",
  );
  assert.equal(only(r.errors, 'email').reason, "Email address 'bob@' is not valid.");
  assert.equal(r.values.clientType, null);
  assert.equal(r.values.email, null);
  assert.equal(r.values.companyNumber, null);
  assert.equal(r.values.name, 'Acme Widgets Limited');
});

test('every failing field of a client is reported at once', () => {
  const r = checkClient({
    ref: 42,
    clientReference: '',
    name: 'x'.repeat(201),
    clientType: 'plc',
    companyNumber: '123',
    vatNumber: 'GB' + BAD_CHECKSUM_VAT,
    utr: BAD_UTR,
    email: 'not-an-email',
    phone: '123',
    website: 'not a url',
  });
  assert.deepEqual(
    r.errors.map((e) => [e.field, e.code]),
    [
      ['ref', 'invalid_type'],
      ['clientReference', 'required'],
      ['name', 'too_long'],
      ['clientType', 'invalid_value'],
      ['companyNumber', 'invalid_company_number'],
      ['vatNumber', 'invalid_vat_number'],
      ['utr', 'invalid_utr'],
      ['email', 'invalid_email'],
      ['phone', 'invalid_phone'],
      ['website', 'invalid_url'],
    ],
  );
  assert.ok(Object.values(r.values).every((v) => v === null));
});

test('refs must be strings of 1–64 characters', () => {
  assert.deepEqual(checkClient({ ...client, ref: 'r'.repeat(64) }).errors, []);
  const long = only(checkClient({ ...client, ref: 'r'.repeat(65) }).errors, 'ref');
  assert.equal(long.code, 'too_long');
  assert.equal(long.reason, 'Ref is 65 characters long; the maximum is 64.');
  const num = only(checkClient({ ...client, ref: 1001 }).errors, 'ref');
  assert.equal(num.code, 'invalid_type');
  assert.equal(num.reason, 'Ref must be text, but a number was sent.');
  assert.equal(only(checkClient({ ...client, ref: ['C-1'] }).errors, 'ref').code, 'invalid_type');
  assert.equal(only(checkClient({ ...client, ref: '' }).errors, 'ref').code, 'required');
  // Characters are code points: 64 emoji (128 UTF-16 units) fit, 65 do not and are counted as 65.
  assert.deepEqual(checkClient({ ...client, ref: '😀'.repeat(64) }).errors, []);
  assert.equal(
    only(checkClient({ ...client, ref: '😀'.repeat(65) }).errors, 'ref').reason,
    'Ref is 65 characters long; the maximum is 64.',
  );
});

test('text fields: 200-character limit, wrong JSON types, characters PostgreSQL cannot store', () => {
  assert.deepEqual(checkClient({ ...client, name: 'n'.repeat(200) }).errors, []);
  assert.equal(only(checkClient({ ...client, clientReference: 'c'.repeat(201) }).errors, 'clientReference').code, 'too_long');
  const bool = only(checkClient({ ...client, name: true }).errors, 'name');
  assert.equal(bool.code, 'invalid_type');
  assert.equal(only(checkClient({ ...client, name: { first: 'x' } }).errors, 'name').code, 'invalid_type');
  const nul = only(checkClient({ ...client, name: 'Acme\u0000Ltd' }).errors, 'name');
  assert.deepEqual(nul, {
    field: 'name',
    code: 'unstorable_character',
    reason: 'Name contains a character that cannot be stored (U+0000).',
  });
  const lone = only(checkContact({ ...contact, clients: [{ ref: 'C\ud800', role: 'director' }] }).errors, 'clients[0].ref');
  assert.equal(lone.code, 'unstorable_character');
  assert.equal(lone.reason, 'Client ref in client link 1 contains a character that cannot be stored (U+D800, an unpaired surrogate).');
  // A surrogate pair (an emoji) is a character like any other; an unknown field is never read.
  assert.deepEqual(checkClient({ ...client, name: 'Sun \ud83c\udf1e Ltd', notes: 'a\u0000b' }).errors, []);
});

test('client type is matched case-insensitively and normalised', () => {
  assert.equal(checkClient({ ...client, clientType: 'LLP' }).values.clientType, 'llp');
  assert.equal(checkClient({ ...client, clientType: 'sole_trader' }).values.clientType, 'sole_trader');
  assert.equal(only(checkClient({ ...client, clientType: 'sole trader' }).errors, 'clientType').code, 'invalid_value');
});

// The identifier rules themselves are table-tested in identifiers.test.ts; here, how a record uses them.
test('identifiers: JSON integers are accepted and normalised like text', () => {
  const r = checkClient({ ...client, companyNumber: 4256886, vatNumber: Number(VALID_VAT), utr: Number(VALID_UTR) });
  assert.deepEqual(r.errors, []);
  assert.equal(r.values.companyNumber, '04256886'); // a number that lost its leading zero
  assert.equal(r.values.vatNumber, 'GB' + VALID_VAT);
  assert.equal(r.values.utr, VALID_UTR);
  const e = only(checkClient({ ...client, companyNumber: '1234' }).errors, 'companyNumber');
  assert.equal(e.code, 'invalid_company_number');
  assert.ok(e.reason.startsWith("Company number '1234' is not a valid Companies House number"), e.reason);
  const checksum = only(checkClient({ ...client, vatNumber: 'GB' + BAD_CHECKSUM_VAT }).errors, 'vatNumber');
  assert.equal(checksum.code, 'invalid_vat_number');
  assert.equal(checksum.reason, "VAT number 'GB123456789' is not a valid UK VAT number: its check digits do not match.");
});

test('UTR: 10 digits with a valid check digit; reasons mask it to its last 3 characters', () => {
  assert.equal(checkClient({ ...client, utr: VALID_UTR }).values.utr, VALID_UTR);
  assert.equal(checkClient({ ...client, utr: Number(VALID_UTR) }).values.utr, VALID_UTR);
  const e = only(checkClient({ ...client, utr: BAD_UTR }).errors, 'utr');
  assert.equal(e.code, 'invalid_utr');
  assert.ok(e.reason.startsWith("UTR '*******890' is not a valid Unique Taxpayer Reference"), e.reason);
  assert.ok(!e.reason.includes('1234567'), e.reason);
  const short = only(checkClient({ ...client, utr: '98765' }).errors, 'utr');
  assert.ok(short.reason.includes("'**765'"), short.reason);
  assert.ok(!short.reason.includes('98765'), short.reason);
});

test('mask keeps only the last 3 characters', () => {
  assert.equal(mask('1234567890'), '*******890');
  assert.equal(mask('1980-05-17'), '*******-17');
  assert.equal(mask('1234'), '*234');
  assert.equal(mask('123'), '***');
  assert.equal(mask(''), '');
  assert.equal(mask('9'.repeat(500)).length, 60);
  assert.ok(mask('9'.repeat(500)).endsWith('*999'));
});

test('quoted values longer than 60 characters are cut with an ellipsis', () => {
  assert.equal(quote('abc'), "'abc'");
  const long = 'a'.repeat(100);
  assert.equal(quote(long), `'${'a'.repeat(60)}…'`);
  const e = only(checkClient({ ...client, email: 'x'.repeat(100) + '@' }).errors, 'email');
  assert.equal(e.reason, `Email address '${'x'.repeat(60)}…' is not valid.`);
});

test('email: validated, trimmed, domain lower-cased, at most 254 characters', () => {
  assert.equal(checkClient({ ...client, email: 'Jane.Doe@Example.COM' }).values.email, 'Jane.Doe@example.com');
  for (const bad of ['bob@', 'bob', 'bob@localhost', 'a b@example.com', 'Bob <bob@example.com>']) {
    assert.equal(only(checkClient({ ...client, email: bad }).errors, 'email').code, 'invalid_email', bad);
  }
  const tooLong = 'a'.repeat(64) + '@' + 'b'.repeat(186) + '.com'; // 255
  assert.equal(only(checkClient({ ...client, email: tooLong }).errors, 'email').code, 'too_long');
});

test('phone: UK national or international, normalised to E.164; must be text', () => {
  const phone = (v: unknown) => checkClient({ ...client, phone: v });
  assert.equal(phone('020 7946 0000').values.phone, '+442079460000');
  assert.equal(phone('07911 123456').values.phone, '+447911123456');
  assert.equal(phone('+44 (0)20 7946 0000').values.phone, '+442079460000');
  assert.equal(phone('+1 202 555 0143').values.phone, '+12025550143');
  assert.equal(phone('+33 1 42 68 53 00').values.phone, '+33142685300');
  const bad = only(phone('12345').errors, 'phone');
  assert.equal(bad.code, 'invalid_phone');
  assert.ok(bad.reason.startsWith("Phone number '12345' is not a valid phone number"), bad.reason);
  assert.equal(only(phone('not a phone').errors, 'phone').code, 'invalid_phone');
  assert.equal(only(phone(2079460000).errors, 'phone').code, 'invalid_type');
  // the cache returns the same answers the second time
  assert.equal(phone('020 7946 0000').values.phone, '+442079460000');
  assert.equal(only(phone('12345').errors, 'phone').code, 'invalid_phone');
});

test('website: http/https or no protocol, needs a TLD, kept as sent', () => {
  const site = (v: unknown) => checkClient({ ...client, website: v });
  assert.equal(site('acme.co.uk').values.website, 'acme.co.uk');
  assert.equal(site('https://www.acme.co.uk/about?x=1').values.website, 'https://www.acme.co.uk/about?x=1');
  assert.equal(site('http://acme.com').values.website, 'http://acme.com');
  for (const bad of ['ftp://acme.com', 'http://localhost', 'acme', 'javascript:alert(1)']) {
    const e = only(site(bad).errors, 'website');
    assert.equal(e.code, 'invalid_url', bad);
  }
  assert.equal(only(site('not a url').errors, 'website').reason, "Website 'not a url' is not a valid web address.");
  assert.equal(only(site('https://a.com/' + 'p'.repeat(2040)).errors, 'website').code, 'too_long');
});

// ---------------------------------------------------------------------------------------------------------------
// Not an object

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

// ---------------------------------------------------------------------------------------------------------------
// Contacts

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

// ---------------------------------------------------------------------------------------------------------------
// Addresses

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

// ---------------------------------------------------------------------------------------------------------------
// General

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
