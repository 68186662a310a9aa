import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonErrorOffset, lineAndColumn } from '../../src/intake/json-error-position.ts';

test('the offset of the first invalid character, where JSON.parse gives none', () => {
  const cases: [string, number][] = [
    ['{"type": clients}', 9],
    ['{"records": [{"name": "x"}, {"name": y}]}', 37],
    ['{"type": "clients", "records": [1,2', 35],
    ['{"a":1}x', 7],
    ['{"a" 1}', 5],
    ['[1,]', 3],
    ['{"a":1,}', 7],
    ['[1 2]', 3],
    ['"x', 0],
    ['{"a":"\u0001"}', 5],
    ['[[[[[', 5],
  ];
  for (const [text, offset] of cases) {
    assert.throws(() => JSON.parse(text));
    assert.equal(jsonErrorOffset(text), offset, text);
  }
});

test('valid JSON has no error offset, however deep', () => {
  for (const text of [
    '[]',
    '{}',
    '{"a":[[],[{}]],"b":-1.5e3,"c":null,"d":true,"e":"\\u00e9"}',
    '[' + '['.repeat(100_000) + ']'.repeat(100_000) + ']',
  ]) {
    assert.equal(jsonErrorOffset(text), -1);
  }
});

test('line and column count from 1', () => {
  assert.equal(lineAndColumn('{\n  "a": x\n}', 9), 'line 2, column 8');
});
