// The fast paths of the email and web address checks against their judge, validator: whatever the fast path
// accepts, validator must accept with the same options (else a record validator refuses would be taken), the
// answer with the fallback must be validator's for every input, and the fast path must answer the plain
// spellings of generated exports (else it saves nothing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import validator from 'validator';
import { generatePractice } from '../../packages/sender/src/cli/generate/practice-data.ts';
import {
  EMAIL_OPTIONS,
  isEmailAddress,
  isPlainEmail,
  isPlainWebAddress,
  isWebAddress,
  URL_OPTIONS,
} from '../../src/intake/fields/contact-fields.ts';
import { mutations } from '../helpers/draws.ts';
import { compareFastPathWithJudge } from '../helpers/fast-path-comparison.ts';

const judgeEmail = (s: string) => validator.isEmail(s, EMAIL_OPTIONS);
const judgeUrl = (s: string) => validator.isURL(s, URL_OPTIONS);

/** The emails and websites of a generated practice (its planted invalid ones included). */
function generatedValues(): { emails: string[]; websites: string[] } {
  const emails: string[] = [];
  const websites: string[] = [];
  for (const { record } of generatePractice({ clients: 3_000, seed: 5, invalidRate: 0.05 }).records) {
    const r = record as Record<string, unknown>;
    if (typeof r['email'] === 'string') emails.push(r['email'].trim());
    if (typeof r['website'] === 'string') websites.push(r['website'].trim());
  }
  return { emails, websites };
}

// Characters that sit on the edges of either check: separators, what validator allows in one place and not
// another, whitespace of several kinds, non-ASCII letters, full-width forms, quotes and escapes.
const TRICKY = [
  ...'.-_@:/?#%+=!~*\'"\\<>[](){},; \t\n0aZ9éü€ｅ\u00a0\u2028\u3000',
  '..',
  '@@',
  '//',
  'xn--',
  'http://',
  'https://',
  'ftp://',
  'mailto:',
  ':80',
  ':99999',
  'user:pass@',
  '[::1]',
  '127.0.0.1',
  '.co.uk',
  '.c',
  '.123',
];

/** Values at validator's length limits: local part 64 / 65, label 63 / 64, address 254 / 255, URL 2084 / 2085. */
function atTheLimits(): { emails: string[]; websites: string[] } {
  const label = (n: number) => 'a'.repeat(n);
  const emails = [
    `${label(64)}@example.co.uk`,
    `${label(65)}@example.co.uk`,
    `a@${label(63)}.com`,
    `a@${label(64)}.com`,
    `a@example.${label(63)}`,
    `a@example.${label(64)}`,
  ];
  for (const total of [253, 254, 255, 256]) {
    const local = 'b'.repeat(60);
    const domain = `${Array.from({ length: 10 }, () => label(20)).join('.')}.uk`;
    const address = `${local}@${domain}`;
    emails.push(
      address.length >= total ? address.slice(address.length - total) : `${local}@${'c'.repeat(total - address.length)}${domain}`,
    );
  }
  const websites = [`www.${label(63)}.com`, `www.${label(64)}.com`, `https://example.com/${'p'.repeat(2084 - 20)}`];
  for (const total of [2083, 2084, 2085, 2086]) {
    const head = 'https://example.com/';
    websites.push(head + 'q'.repeat(total - head.length));
  }
  return { emails, websites };
}

const HAND_PICKED_EMAILS = [
  'info@example.co.uk',
  'first.last@example.com',
  "o'brien+tax@example.ie",
  'a@b.co',
  'a@b.c',
  'a@b',
  '.a@b.com',
  'a.@b.com',
  'a..b@b.com',
  'a@-b.com',
  'a@b-.com',
  'a@b..com',
  'a@b.com.',
  'a@b_c.com',
  'a@b.c0m',
  'a@b.123',
  'a@[127.0.0.1]',
  '"a b"@example.com',
  'a@b@c.com',
  'zoë@example.com',
  'a@exämple.com',
  'a@xn--exmple-cua.com',
  'a@example.xn--p1ai',
  'Name <a@example.com>',
  'A@EXAMPLE.COM',
  '',
  '@example.com',
  'a@',
];

const HAND_PICKED_URLS = [
  'https://www.example.co.uk',
  'http://example.com/',
  'www.example.com/path?q=1#top',
  'example.com',
  'HTTPS://EXAMPLE.COM',
  'ftp://example.com',
  'mailto:a@example.com',
  'javascript:alert(1)',
  '//example.com',
  'http://',
  'http://localhost',
  'http://127.0.0.1',
  'http://[::1]/',
  'http://example.com:8080',
  'http://example.com:0',
  'http://user:pass@example.com',
  'http://@example.com',
  'http://exa_mple.com',
  'http://example.com.',
  'http://-example.com',
  'http://example-.com',
  'http://example..com',
  'http://example.c',
  'http://example.123',
  'http://exämple.com',
  'http://example.com/a b',
  'http://example.com/<script>',
  'example.com?x:1',
  'example.com#frag:1',
  'example.com/a:b',
  'www.example.com:',
  'a:b@example.com',
  'http:example.com',
  'https:/example.com',
  'https:///example.com',
];

/**
 * The shared comparison (test/helpers/fast-path-comparison.ts) over the hand-picked values, those at the limits, the
 * generated ones and mutations of them: the fast path answers `true` or leaves the value to validator.
 */
function compareWithValidator(c: {
  handPicked: string[];
  limits: string[];
  generated: string[];
  seed: number;
  fastPath: (s: string) => boolean;
  withFallback: (s: string) => boolean;
  judge: (s: string) => boolean;
  minValues: number;
  minFast: number;
}): void {
  compareFastPathWithJudge({
    judgeName: 'validator',
    values: [
      ...c.handPicked,
      ...c.limits,
      ...c.generated,
      ...mutations([...c.handPicked, ...c.generated.slice(0, 2_000)], TRICKY, 20, c.seed),
    ],
    generated: c.generated,
    fastPath: (s) => (c.fastPath(s) ? true : undefined),
    withFallback: c.withFallback,
    judge: c.judge,
    accepted: (answer) => answer,
    minValues: c.minValues,
    minFast: c.minFast,
  });
}

test('every email the fast path accepts, validator accepts; with the fallback the answer is always validator’s', () => {
  compareWithValidator({
    handPicked: HAND_PICKED_EMAILS,
    limits: atTheLimits().emails,
    generated: generatedValues().emails,
    seed: 7,
    fastPath: isPlainEmail,
    withFallback: isEmailAddress,
    judge: judgeEmail,
    minValues: 40_000,
    minFast: 5_000,
  });
});

test('every web address the fast path accepts, validator accepts; with the fallback the answer is always validator’s', () => {
  compareWithValidator({
    handPicked: HAND_PICKED_URLS,
    limits: atTheLimits().websites,
    generated: generatedValues().websites,
    seed: 11,
    fastPath: isPlainWebAddress,
    withFallback: isWebAddress,
    judge: judgeUrl,
    minValues: 20_000,
    minFast: 2_000,
  });
});

test('the comparison fails when a fast path accepts what validator refuses', () => {
  // The check above on a deliberately loose fast path: it must find a value that validator refuses.
  const loose = /^[^@\s]+@[^@\s]+$/;
  const refused = [...HAND_PICKED_EMAILS, ...mutations(HAND_PICKED_EMAILS, TRICKY, 20, 7)].filter((s) => loose.test(s) && !judgeEmail(s));
  assert.ok(refused.length > 10, 'the values do not catch a fast path that accepts invalid addresses');
});
