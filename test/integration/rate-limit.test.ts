// Requests per minute per caller: 429 with Retry-After past the limit, for that caller only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from '../../src/http/app.ts';
import { ADMIN_TOKEN, createSource, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

test('past the limit a token gets 429 with Retry-After; another token and health checks do not', async () => {
  const app = await buildApp({
    db: t.db,
    boss: t.boss,
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    ready: () => true,
    rateLimitPerMinute: 5,
  });
  try {
    const [a, b] = [await createSource(t.db, 'brightmanager'), await createSource(t.db, 'brightbooks')];
    const get = (token: string) => app.inject({ method: 'GET', url: '/v1/imports', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 5; i++) assert.equal((await get(a.token)).statusCode, 200);
    const limited = await get(a.token);
    assert.equal(limited.statusCode, 429);
    assert.match(String(limited.headers['content-type']), /^application\/problem\+json/);
    assert.ok(Number(limited.headers['retry-after']) > 0, `Retry-After: ${limited.headers['retry-after']}`);
    assert.match(limited.json().detail, /at most 5 a minute/);
    assert.equal((await get(b.token)).statusCode, 200, 'another token has its own budget');
    for (let i = 0; i < 10; i++) assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  } finally {
    await app.close();
  }
});
