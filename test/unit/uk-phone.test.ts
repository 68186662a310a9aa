// The fast UK phone check against its judge: for every input it answers, libphonenumber-js must give the same
// E.164 form, and it must answer the common spellings (else it saves nothing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { plainUkPhone } from '../../src/intake/fields/uk-phone.ts';
import { draws } from '../helpers/draws.ts';

const judge = (s: string): string | null => {
  const phone = parsePhoneNumberFromString(s, 'GB');
  return phone !== undefined && phone.isValid() ? phone.number : null;
};

test('every UK number the fast check answers, libphonenumber-js answers the same', () => {
  const next = draws(17);
  const digit = () => String(next.next().value % 10);
  const pick = <T>(list: readonly T[]): T => list[next.next().value % list.length]!;
  const prefixes = ['0', '+44', '+44 ', '0', '00', '+440', '(0', '+1 ', ''];
  // Area codes, mobile, free, shared and premium ranges, a Crown dependency's, and any first digit.
  const leads = [
    '20',
    '121',
    '131',
    '161',
    '113',
    '1223',
    '1865',
    '1632',
    '7',
    '79',
    '7700',
    '800',
    '845',
    '870',
    '3',
    '1481',
    '1624',
    '5',
    '9',
    '',
  ];
  let answered = 0;
  for (let i = 0; i < 60_000; i++) {
    let body = pick(leads);
    if (body === '') body = String(1 + (next.next().value % 9));
    const length = pick([6, 7, 8, 9, 9, 10, 10, 10, 11]);
    while (body.length < length) body += digit();
    body = [...body].map((d, at) => (at > 0 && next.next().value % 6 === 0 ? pick([' ', '-', '  ', '.']) : '') + d).join('');
    const input = pick(prefixes) + body;
    const fast = plainUkPhone(input);
    if (fast === undefined) continue;
    answered++;
    assert.equal(fast, judge(input), input);
  }
  assert.ok(answered > 5_000, `answered ${answered}`);
});

test('the common spellings are answered fast; other countries, brackets and Crown dependencies go to the judge', () => {
  for (const [input, e164] of [
    ['020 7946 0018', '+442079460018'],
    ['+44 20 7946 0018', '+442079460018'],
    ['+447912345678', '+447912345678'],
    ['07912 345678', '+447912345678'],
    ['0161-496-0000', '+441614960000'],
    ['0800 123 4567', '+448001234567'],
  ] as const) {
    assert.equal(plainUkPhone(input), e164, input);
    assert.equal(judge(input), e164, input);
  }
  for (const input of [
    '+1 212 555 0100',
    '(020) 7946 0018',
    '+44 (0)20 7946 0018',
    '01481 712345',
    '01632 960123',
    '07700 900123',
    '0044 20 7946 0018',
  ])
    assert.equal(plainUkPhone(input), undefined, input);
});
