// A client record's checks (SPEC §4): normalisation, required and optional fields, text limits, identifiers,
// email, phone and website — each failing field reported at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stdnum } from 'stdnum';
import { mask, quote } from '../../src/intake/fields/field-reader.ts';
import { checkClient, checkContact } from '../../src/intake/validate-record.ts';
import {
  VALID_VAT,
  VALID_VAT_2,
  VALID_VAT_12,
  BAD_CHECKSUM_VAT,
  VALID_UTR,
  BAD_UTR,
  fields,
  only,
  client,
  contact,
} from '../helpers/validate-samples.ts';

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
