// Requests per minute per caller: 429 with Retry-After past the limit, for that caller only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { sessionAuthenticator } from '../../src/http/session-cookie.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import { json } from '../helpers/json.ts';
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
    assert.match(json<Problem>(limited).detail, /at most 5 a minute/);
    assert.equal((await get(b.token)).statusCode, 200, 'another token has its own budget');
    for (let i = 0; i < 10; i++) assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  } finally {
    await app.close();
  }
});

/** An app of its own with a small budget, so each test starts with fresh counts. */
async function limitedApp(perMinute: number): Promise<FastifyInstance> {
  return buildApp({
    db: t.db,
    boss: t.boss,
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    ready: () => true,
    rateLimitPerMinute: perMinute,
    session: sessionAuthenticator(t.db),
  });
}

const madeUpToken = (idHex = randomBytes(16).toString('hex')) => `bcs_${idHex}_${randomBytes(32).toString('base64url')}`;

test('refused requests count: a caller without valid credentials is limited like any other', async () => {
  const app = await limitedApp(5);
  try {
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/imports' })).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    // Inventing a token for every request does not buy a fresh budget: an unverified token is only an address.
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/imports', headers: { authorization: `Bearer ${madeUpToken()}` } });
      assert.equal(res.statusCode, 429);
    }
  } finally {
    await app.close();
  }
});

test('sign-in attempts stay limited per address whatever Authorization header they carry', async () => {
  const app = await limitedApp(4);
  try {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { authorization: `Bearer ${madeUpToken()}`, cookie: `bc_session=${randomBytes(32).toString('base64url')}` },
        payload: { email: `guess${i}@example.com`, password: 'not-the-password' },
      });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
  } finally {
    await app.close();
  }
});

test('knowing the id half of a token does not spend its owner’s budget', async () => {
  const app = await limitedApp(5);
  try {
    const owner = await createSource(t.db, 'brightmanager', 'Budget Owner');
    const idHex = /^bcs_([0-9a-f]{32})_/.exec(owner.token)![1]!;
    // Routes that check the token (401) and routes that do not look at it (sign-in, refused here as malformed).
    for (let i = 0; i < 10; i++) {
      const headers = { authorization: `Bearer ${madeUpToken(idHex)}` };
      const res =
        i % 2 === 0
          ? await app.inject({ method: 'GET', url: '/v1/imports', headers })
          : await app.inject({ method: 'POST', url: '/v1/session', headers, payload: {} });
      assert.ok([400, 401, 429].includes(res.statusCode), String(res.statusCode));
    }
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'GET', url: '/v1/imports', headers: { authorization: `Bearer ${owner.token}` } });
      assert.equal(res.statusCode, 200, 'the owner keeps its whole budget');
    }
  } finally {
    await app.close();
  }
});
