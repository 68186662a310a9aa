// The identifier rules of SPEC §4, table-driven: for each, at least 10 valid values (published examples, or made
// with the published check-digit algorithm below, written here independently of the code under test) with their
// normalised form, and at least 10 invalid ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCompanyNumber } from '../../src/intake/identifiers/company-number.ts';
import { parseNiNumber } from '../../src/intake/identifiers/ni-number.ts';
import type { Parsed } from '../../src/intake/identifiers/parsed.ts';
import { parsePostcode } from '../../src/intake/identifiers/postcode.ts';
import { parseUtr } from '../../src/intake/identifiers/utr.ts';
import { parseVatNumber } from '../../src/intake/identifiers/vat-number.ts';

/** A UTR from 9 digits: HMRC's check digit in front (weights 6,7,8,9,10,5,4,3,2, modulo 11). */
function utrOf(nine: string): string {
  const weights = [6, 7, 8, 9, 10, 5, 4, 3, 2];
  const sum = [...nine].reduce((s, d, i) => s + Number(d) * weights[i]!, 0) % 11;
  return '21987654321'[sum]! + nine;
}

/**
 * A 9-digit VAT number from 7 digits: weights 8…2, then the two check digits that bring the total to a
 * multiple of 97 (the original rule) or, with "9755", the total plus 55.
 */
function vatOf(seven: string, rule: 'mod97' | '9755'): string {
  const sum = [...seven].reduce((s, d, i) => s + Number(d) * (8 - i), 0) + (rule === '9755' ? 55 : 0);
  const check = (97 - (sum % 97)) % 97;
  return seven + String(check).padStart(2, '0');
}

function table(name: string, parse: (text: string) => Parsed, validCases: [string, string][], invalidCases: string[]): void {
  assert.ok(validCases.length >= 10 && invalidCases.length >= 10, `${name}: at least 10 of each`);
  test(`${name}: ${validCases.length} valid values normalise`, () => {
    for (const [input, normalised] of validCases) assert.deepEqual(parse(input), { ok: true, value: normalised }, input);
  });
  test(`${name}: ${invalidCases.length} invalid values are refused with a reason`, () => {
    for (const input of invalidCases) {
      const parsed = parse(input);
      assert.equal(parsed.ok, false, `${input} should be invalid`);
      if (!parsed.ok) assert.match(parsed.why, /^is (not )?a /, input);
    }
  });
}

// Published: the Companies House register (Tesco PLC, BP p.l.c., Unilever PLC, Barclays PLC, HSBC Holdings plc,
// Marks and Spencer Group plc, Vodafone Group Plc, NatWest Group plc) and SPEC §4's own examples.
table(
  'company number',
  parseCompanyNumber,
  [
    ['00445790', '00445790'],
    ['00102498', '00102498'],
    ['41424', '00041424'], // five digits: three zeros lost
    ['048839', '00048839'],
    ['00617987', '00617987'],
    ['4256886', '04256886'], // a spreadsheet dropped the leading zero
    ['0183 3679', '01833679'],
    ['sc045551', 'SC045551'],
    ['SC 045551', 'SC045551'],
    ['R0000123', 'R0000123'], // Northern Ireland before 1922
    ['IP12345R', 'IP12345R'], // a registered society
    ['ip 12345 r', 'IP12345R'],
    ['OC301540', 'OC301540'],
    ['7592231', '07592231'],
  ],
  ['1234', '123456789', 'SC12345', 'SC1234567', 'ABC12345', '1234567A', 'IP1234R5', 'R000012', '12-34-56-78', 'S', 'SC12345R6', '@1234567'],
);

// Published: stdnum's and HMRC's sample numbers (GB 980 7806 84, GB340804329, GB346270013); the others are made
// with both check-digit rules.
table(
  'VAT number',
  parseVatNumber,
  [
    ['GB 980 7806 84', 'GB980780684'],
    ['GB340804329', 'GB340804329'],
    ['346270013', 'GB346270013'], // the prefix is optional
    [vatOf('1234567', 'mod97'), 'GB' + vatOf('1234567', 'mod97')],
    [vatOf('7654321', 'mod97'), 'GB' + vatOf('7654321', 'mod97')],
    ['XI' + vatOf('4203119', 'mod97'), 'XI' + vatOf('4203119', 'mod97')], // Northern Ireland
    [vatOf('2345678', '9755'), 'GB' + vatOf('2345678', '9755')],
    ['xi ' + vatOf('8765432', '9755'), 'XI' + vatOf('8765432', '9755')],
    ['GB980780684001', 'GB980780684001'], // a branch
    ['GB-980-7806-84-123', 'GB980780684123'],
    ['GBGD001', 'GBGD001'], // a government department
    ['GD499', 'GBGD499'],
    ['GBHA599', 'GBHA599'], // a health authority
    ['XIHA999', 'XIHA999'],
  ],
  [
    'GB802311781',
    'GB123456789',
    'GB12345678',
    'GB1234567890',
    'FR980780684',
    'GBGD500',
    'GBHA499',
    'GBGD888812345',
    'GB98078068X',
    'XI',
    'GBHA5000',
    'GBAB123',
  ],
);

table(
  'UTR',
  parseUtr,
  [
    ['1955839661', '1955839661'], // stdnum's published sample
    [utrOf('234567890'), utrOf('234567890')],
    [utrOf('000000001'), utrOf('000000001')],
    [utrOf('987654321'), utrOf('987654321')],
    [utrOf('111111111'), utrOf('111111111')],
    [' 19558 39661 ', '1955839661'],
    ['1955839661K', '1955839661'], // as Self Assessment letters print it
    ['k1955839661', '1955839661'],
    ['19558 39661 K', '1955839661'],
    ['0001955839661', '1955839661'], // the 13-digit form keeps its last 10
    ['123 ' + utrOf('555555555'), utrOf('555555555')],
  ],
  [
    '2955839661',
    '195583966',
    '19558396612',
    'K',
    'ABCDEFGHIJ',
    '1955-839661',
    '195583966X',
    '12345678901234',
    '0002955839661',
    'KK1955839661',
    '',
  ],
);

// No check digit: the valid ones follow HMRC's prefix rules (NIM39110); QQ 12 34 56 C is HMRC's own example,
// chosen because it is never issued.
table(
  'NI number',
  parseNiNumber,
  [
    ['AB123456C', 'AB123456C'],
    ['AB 12 34 56 C', 'AB123456C'],
    ['hh012345d', 'HH012345D'],
    ['TJ012345D', 'TJ012345D'],
    ['HH012345', 'HH012345'], // the suffix may be left out
    ['CE123456A', 'CE123456A'],
    ['PW987654B', 'PW987654B'],
    ['ZX000001', 'ZX000001'],
    ['YB-96-28-81-C', 'YB962881C'],
    ['NE 123456 D', 'NE123456D'],
    ['JG103759A', 'JG103759A'],
  ],
  [
    'QQ123456C',
    'DA123456A',
    'FA123456A',
    'AI123456A',
    'AO123456A',
    'BG123456A',
    'GB123456A',
    'NK123456A',
    'TN123456A',
    'ZZ123456A',
    'AB123456E',
    'AB12345C',
    'A1234567C',
    'AB1234567',
  ],
);

const inCountry =
  (country: string) =>
  (text: string): Parsed =>
    parsePostcode(text, country);

// Royal Mail's published format examples (M1 1AE, B33 8TH, CR2 6XH, DN55 1PT, W1A 1AA, EC1A 1BB) and the
// non-geographic GIR 0AA and BFPO numbers.
table(
  'GB postcode',
  inCountry('GB'),
  [
    ['SW1A 2AA', 'SW1A 2AA'],
    ['ec1a1bb', 'EC1A 1BB'],
    ['W1A 1AA', 'W1A 1AA'],
    ['M1 1AE', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
    ['CR2  6XH', 'CR2 6XH'],
    ['DN55 1PT', 'DN55 1PT'],
    ['BT1 5GS', 'BT1 5GS'],
    ['GIR 0AA', 'GIR 0AA'],
    ['gir0aa', 'GIR 0AA'],
    ['BFPO 801', 'BFPO 801'],
    ['bfpo1', 'BFPO 1'],
  ],
  ['JE2 3AB', 'GY1 1AA', 'IM1 1AA', 'XYZ 123', '12345', 'SW1A', 'BFPO', 'BFPO 12345', 'GIR 0AB', 'EC1A 1B', 'SW1A 1AAA', 'A65 F4E2'],
);

table(
  'Crown Dependency postcode',
  (text) => {
    const [country, postcode] = text.split(':') as [string, string];
    return parsePostcode(postcode, country);
  },
  [
    ['JE:JE2 3AB', 'JE2 3AB'],
    ['JE:je11ba', 'JE1 1BA'],
    ['JE:JE3 7BY', 'JE3 7BY'],
    ['JE:JE4 8PF', 'JE4 8PF'],
    ['GG:GY1 2AB', 'GY1 2AB'],
    ['GG:GY2 4LH', 'GY2 4LH'],
    ['GG:GY9 3UF', 'GY9 3UF'],
    ['GG:GY10 1SD', 'GY10 1SD'],
    ['IM:IM1 3PR', 'IM1 3PR'],
    ['IM:im2 4na', 'IM2 4NA'],
    ['IM:IM9 6AJ', 'IM9 6AJ'],
  ],
  [
    'JE:SW1A 1AA',
    'GG:JE2 3AB',
    'IM:GY1 1AA',
    'GG:GIR 0AA',
    'JE:BFPO 801',
    'JE:JE',
    'JE:JE2',
    'IM:IM 123',
    'GG:GG1 1AA',
    'IM:IM1 1AAA',
    'JE:A65 F4E2',
  ],
);

// Eircode's published example (A65 F4E2) and addresses in the same format.
table(
  'Eircode',
  inCountry('IE'),
  [
    ['A65 F4E2', 'A65 F4E2'],
    ['a65f4e2', 'A65 F4E2'],
    ['D02 X285', 'D02 X285'],
    ['D6W 1234', 'D6W 1234'],
    ['T12 HXY9', 'T12 HXY9'],
    ['V94 T9PX', 'V94 T9PX'],
    ['H91 E2K3', 'H91 E2K3'],
    ['D04 C932', 'D04 C932'],
    ['W23 F854', 'W23 F854'],
    ['X91 K2X1', 'X91 K2X1'],
    ['D08 E1W3', 'D08 E1W3'],
  ],
  ['B65 F4E2', 'A6 F4E2', 'A65 F4E', 'A65 F4E22', 'A65 B4E2', 'D6X 1234', 'SW1A 1AA', 'D02', '12345', 'A65-F4E2', 'AAA AAAA'],
);

test('other countries keep any non-empty postcode as sent', () => {
  assert.deepEqual(parsePostcode('75001', 'FR'), { ok: true, value: '75001' });
  assert.deepEqual(parsePostcode('SW1A 1AA', 'US'), { ok: true, value: 'SW1A 1AA' });
});

test('stdnum runs without stack traces, and they are on again after it: refused and accepted numbers alike', () => {
  const limit = Error.stackTraceLimit;
  assert.ok(limit > 0);
  for (const value of ['1234567890', '12345 67890', 'GB123456789', 'GB 123 4567 89', 'QQ123456C', 'BG123456C']) {
    parseUtr(value);
    parseVatNumber(value);
    parseNiNumber(value);
    assert.equal(Error.stackTraceLimit, limit, value);
  }
});
