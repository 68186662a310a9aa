// The assertion every refusal test makes: an RFC 9457 problem document with the expected status (and detail).
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Problem } from '../../src/contract/problem.contract.ts';
import { json } from './json.ts';

export function assertProblem(res: LightMyRequestResponse, status: number, detail?: RegExp): Problem {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 500)}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = json<Problem>(res);
  assert.equal(body.status, status);
  assert.equal(typeof body.type, 'string');
  assert.ok(body.type.length > 0);
  assert.equal(typeof body.title, 'string');
  assert.ok(body.title.length > 0);
  assert.equal(typeof body.detail, 'string');
  assert.ok(body.detail.length > 0);
  if (detail) assert.match(body.detail, detail);
  return body;
}
