// Practice users: created by an operator, signed in with a session cookie (hashed in PostgreSQL, expiring), CSRF on
// state-changing requests, throttled sign-in, sign out; the per-user failure banner; the UI's security headers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { PracticeUser } from '../../src/contract/admin.contract.ts';
import type { ImportList, ImportView } from '../../src/contract/imports.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import type { Banner, SessionAnswer } from '../../src/contract/session.contract.ts';
import { withPractice } from '../../src/db/tenant.ts';
import { json } from '../helpers/json.ts';
import { ADMIN_TOKEN, createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let practice: { practiceId: string; token: string };
let other: { practiceId: string; token: string };
before(async () => {
  t = await startTestApp({ sessions: true });
  practice = await createSource(t.db, 'brightmanager', 'Alpha Practice');
  other = await createSource(t.db, 'brightbooks', 'Other Practice');
});
after(async () => {
  await t?.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const PASSWORD = 'correct horse battery';

async function createUser(practiceId: string, email: string, password = PASSWORD) {
  return t.app.inject({ method: 'POST', url: `/admin/practices/${practiceId}/users`, headers: admin, payload: { email, password } });
}

function cookieOf(res: LightMyRequestResponse): { header: string; value: string; attributes: string } {
  const raw = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('bc_session='));
  assert.ok(raw, `no session cookie in ${JSON.stringify(res.headers)}`);
  const [pair, ...attributes] = raw.split(';');
  return { header: pair!, value: pair!.slice('bc_session='.length), attributes: attributes.join(';') };
}

async function signIn(email: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/v1/session', headers, payload: { email, password } });
}

async function session(email: string) {
  const res = await signIn(email);
  assert.equal(res.statusCode, 200, res.body);
  return { cookie: cookieOf(res).header, csrf: json<SessionAnswer>(res).csrfToken };
}

async function importWithFailures(token: string): Promise<string> {
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  const res = await c.putBatch(id, 1, {
    type: 'clients',
    records: [
      { ref: 'C-1', clientReference: 'OK01', name: 'Fine Ltd', clientType: 'limited_company' },
      { ref: 'C-2', clientReference: 'BAD01', name: 'Broken Ltd', clientType: 'limited_company', email: 'nope@' },
    ],
  });
  assert.equal(res.statusCode, 202, res.body);
  assert.equal((await c.complete(id, 1)).statusCode, 202);
  await waitForCompletion(t.app, token, id);
  return id;
}

test('an operator creates users: weak passwords, bad emails, taken emails and unknown practices are refused', async () => {
  const created = await createUser(practice.practiceId, '  Ann@Alpha.Example ');
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(json<PracticeUser>(created).email, 'ann@alpha.example');
  assert.equal((await createUser(practice.practiceId, 'ANN@alpha.example')).statusCode, 409);
  assert.equal((await createUser(practice.practiceId, 'bob@alpha.example', 'short')).statusCode, 400);
  assert.equal((await createUser(practice.practiceId, 'not-an-email')).statusCode, 400);
  assert.equal((await createUser('00000000-0000-4000-8000-000000000000', 'x@alpha.example')).statusCode, 404);
  const noToken = await t.app.inject({
    method: 'POST',
    url: `/admin/practices/${practice.practiceId}/users`,
    payload: { email: 'y@alpha.example', password: PASSWORD },
  });
  assert.equal(noToken.statusCode, 401);
  const { rows } = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = 'ann@alpha.example'`);
  assert.match(rows[0]!.password_hash, /^scrypt\$17\$8\$1\$/);
  assert.ok(!rows[0]!.password_hash.includes(PASSWORD));
  // Practice reads run as the tenant role: it sees the practice's users, never their password hashes.
  const emails = await withPractice(t.db, practice.practiceId, async (tx) =>
    (await tx.query<{ email: string }>('SELECT email FROM users')).rows.map((r) => r.email),
  );
  assert.deepEqual(emails, ['ann@alpha.example']);
  await assert.rejects(
    withPractice(t.db, practice.practiceId, (tx) => tx.query('SELECT password_hash FROM users')),
    /permission denied/,
  );
});

test('sign-in sets an httpOnly, SameSite=Lax session cookie whose id is stored only hashed; Secure behind HTTPS', async () => {
  assert.equal((await signIn('ann@alpha.example', 'wrong password!')).statusCode, 401);
  assert.equal((await signIn('nobody@alpha.example')).statusCode, 401);

  const res = await signIn('ANN@alpha.example');
  assert.equal(res.statusCode, 200, res.body);
  const body = json<SessionAnswer>(res);
  assert.equal(body.user.email, 'ann@alpha.example');
  assert.equal(body.user.practiceId, practice.practiceId);
  assert.equal(body.user.practiceName, 'Alpha Practice');
  assert.equal(typeof body.csrfToken, 'string');
  const cookie = cookieOf(res);
  assert.match(cookie.attributes, /HttpOnly/);
  assert.match(cookie.attributes, /SameSite=Lax/);
  assert.match(cookie.attributes, /Path=\//);
  assert.doesNotMatch(cookie.attributes, /Secure/);
  const { rows } = await t.db.query<{ id_hash: Buffer }>('SELECT id_hash FROM sessions');
  assert.ok(rows.length > 0);
  assert.ok(rows.every((r) => !r.id_hash.toString('latin1').includes(cookie.value) && r.id_hash.length === 32));

  const me = await t.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: cookie.header } });
  assert.equal(me.statusCode, 200);
  assert.equal(json<SessionAnswer>(me).csrfToken, body.csrfToken);
  assert.equal((await t.app.inject({ method: 'GET', url: '/v1/session' })).statusCode, 401);

  const secure = await signIn('ann@alpha.example', PASSWORD, { 'x-forwarded-proto': 'https' });
  assert.match(cookieOf(secure).attributes, /Secure/);
});

test('a user reads the practice’s imports with the cookie; a retry needs the CSRF header', async () => {
  const importId = await importWithFailures(practice.token);
  const { cookie, csrf } = await session('ann@alpha.example');
  const list = await t.app.inject({ method: 'GET', url: '/v1/imports', headers: { cookie } });
  assert.equal(list.statusCode, 200);
  assert.ok(json<ImportList>(list).imports.some((i) => i.id === importId));

  const forged = await t.app.inject({ method: 'POST', url: `/v1/imports/${importId}/retry`, headers: { cookie } });
  assert.equal(forged.statusCode, 403);
  assert.match(json<Problem>(forged).detail, /x-csrf-token/);
  const wrong = await t.app.inject({
    method: 'POST',
    url: `/v1/imports/${importId}/retry`,
    headers: { cookie, 'x-csrf-token': 'x'.repeat(43) },
  });
  assert.equal(wrong.statusCode, 403);
  const retry = await t.app.inject({ method: 'POST', url: `/v1/imports/${importId}/retry`, headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(retry.statusCode, 201, retry.body);
  const retried = json<ImportView>(retry);
  assert.equal(retried.retryOf, importId);
  assert.deepEqual(retried.requested?.clients, ['C-2']);

  // A user can only upload through the source product.
  const upload = await t.app.inject({
    method: 'POST',
    url: `/v1/imports/${retried.id}/complete`,
    headers: { cookie, 'x-csrf-token': csrf },
    payload: { batchCount: 0 },
  });
  assert.equal(upload.statusCode, 403);
});

test('a user of another practice sees none of it', async () => {
  assert.equal((await createUser(other.practiceId, 'olga@other.example')).statusCode, 201);
  const { cookie } = await session('olga@other.example');
  const mine = await importWithFailures(practice.token);
  assert.equal((await t.app.inject({ method: 'GET', url: `/v1/imports/${mine}`, headers: { cookie } })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'GET', url: `/v1/imports/${mine}/errors`, headers: { cookie } })).statusCode, 404);
  const list = await t.app.inject({ method: 'GET', url: '/v1/imports', headers: { cookie } });
  assert.deepEqual(json<ImportList>(list).imports, []);
  assert.deepEqual(json<Banner>(await t.app.inject({ method: 'GET', url: '/v1/banner', headers: { cookie } })).imports, []);
});

test('the failure banner lists recent imports with failures until this user dismisses one', async () => {
  const importId = await importWithFailures(practice.token);
  assert.equal((await createUser(practice.practiceId, 'carl@alpha.example')).statusCode, 201);
  const ann = await session('ann@alpha.example');
  const carl = await session('carl@alpha.example');
  const banner = async (who: { cookie: string }) =>
    json<Banner>(await t.app.inject({ method: 'GET', url: '/v1/banner', headers: { cookie: who.cookie } })).imports.map((i) => i.id);
  assert.ok((await banner(ann)).includes(importId));

  const noCsrf = await t.app.inject({
    method: 'POST',
    url: '/v1/banner/dismissals',
    headers: { cookie: ann.cookie },
    payload: { importId },
  });
  assert.equal(noCsrf.statusCode, 403);
  const dismissed = await t.app.inject({
    method: 'POST',
    url: '/v1/banner/dismissals',
    headers: { cookie: ann.cookie, 'x-csrf-token': ann.csrf },
    payload: { importId },
  });
  assert.equal(dismissed.statusCode, 204, dismissed.body);
  assert.ok(!(await banner(ann)).includes(importId));
  assert.ok((await banner(carl)).includes(importId), 'another user still sees it');

  const othersImport = await importWithFailures(other.token);
  const foreign = await t.app.inject({
    method: 'POST',
    url: '/v1/banner/dismissals',
    headers: { cookie: ann.cookie, 'x-csrf-token': ann.csrf },
    payload: { importId: othersImport },
  });
  assert.equal(foreign.statusCode, 404);

  // Older than 30 days: gone from the banner.
  await t.db.query(`UPDATE imports SET created_at = now() - interval '31 days' WHERE id = $1`, [importId]);
  assert.ok(!(await banner(carl)).includes(importId));
});

test('sign out ends the session; an expired session is refused', async () => {
  const { cookie, csrf } = await session('ann@alpha.example');
  assert.equal((await t.app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie } })).statusCode, 403);
  const out = await t.app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(out.statusCode, 204);
  assert.match([out.headers['set-cookie']].flat().join(), /bc_session=;/);
  assert.equal((await t.app.inject({ method: 'GET', url: '/v1/imports', headers: { cookie } })).statusCode, 401);

  const again = await session('ann@alpha.example');
  assert.equal((await t.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: again.cookie } })).statusCode, 200);
  await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second'`);
  assert.equal((await t.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: again.cookie } })).statusCode, 401);
  assert.equal((await t.app.inject({ method: 'GET', url: '/v1/imports', headers: { cookie: again.cookie } })).statusCode, 401);
});

test('sign-in attempts are limited per email, for unknown emails too, and even the right password waits', async () => {
  assert.equal((await createUser(practice.practiceId, 'dora@alpha.example')).statusCode, 201);
  const attempts = await Promise.all(Array.from({ length: 8 }, () => signIn('dora@alpha.example', 'guess guess guess')));
  assert.deepEqual(attempts.map((r) => r.statusCode).sort(), [401, 401, 401, 401, 401, 429, 429, 429]);
  const blocked = await signIn('dora@alpha.example');
  assert.equal(blocked.statusCode, 429);
  assert.ok(Number(blocked.headers['retry-after']) > 0);
  assert.equal((await signIn('ann@alpha.example')).statusCode, 200, 'other emails are not affected');

  for (let i = 0; i < 5; i++) await signIn('ghost@alpha.example', 'guess guess guess');
  assert.equal((await signIn('ghost@alpha.example', 'guess guess guess')).statusCode, 429);

  // The window passes: the right password signs in and clears the count.
  await t.db.query(`UPDATE sign_in_attempts SET window_start = now() - interval '16 minutes' WHERE email = 'dora@alpha.example'`);
  assert.equal((await signIn('dora@alpha.example')).statusCode, 200);
});

test('UI paths answer the app with security headers; API paths are never shadowed', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/imports/00000000-0000-4000-8000-000000000000' });
  assert.ok([200, 503].includes(page.statusCode), page.body);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['x-frame-options'], 'DENY');

  const unknownApi = await t.app.inject({ method: 'GET', url: '/v1/nothing-here' });
  assert.equal(unknownApi.statusCode, 404);
  assert.match(String(unknownApi.headers['content-type']), /problem\+json/);
  assert.equal(json<{ status: string }>(await t.app.inject({ method: 'GET', url: '/healthz' })).status, 'ok');
  assert.equal((await t.app.inject({ method: 'GET', url: '/admin/nothing-here' })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'GET', url: '/nowhere' })).statusCode, 404);
});
