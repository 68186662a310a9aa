// Logs never hold tokens, passwords or record data beyond refs, even at the most verbose level, through a whole
// import with failures, a sign-in, a refused request, an error file download and client searches.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { startServer } from '../../src/server.ts';
import type { Practice, SourceToken } from '../../src/contract/admin.contract.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { ADMIN_TOKEN, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ workers: 0 });
});
after(async () => {
  await t?.close();
});

test('a whole import, a sign-in and refusals at trace level: no secret and no record data in the logs', async () => {
  let logs = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  // A second server on the test database, logging at trace level into `logs`, with a worker of its own.
  const server = await startServer({
    databaseUrl: t.database.url,
    poolSize: 4,
    settings: { logLevel: 'trace', workerConcurrency: 1 },
    http: { adminToken: ADMIN_TOKEN, sessions: true, logStream: stream },
  });
  const { app } = server;
  try {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const practice = json<Practice>(
      await app.inject({ method: 'POST', url: '/admin/practices', headers: admin, payload: { name: 'Quiet Practice' } }),
    );
    const { token } = json<SourceToken>(
      await app.inject({
        method: 'POST',
        url: `/admin/practices/${practice.id}/tokens`,
        headers: admin,
        payload: { source: 'brightmanager' },
      }),
    );
    const password = 'correct horse battery staple 42';
    await app.inject({
      method: 'POST',
      url: `/admin/practices/${practice.id}/users`,
      headers: admin,
      payload: { email: 'quiet@practice.example', password },
    });
    assert.equal(
      (await app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'quiet@practice.example', password } })).statusCode,
      200,
    );
    await app.inject({
      method: 'POST',
      url: '/v1/session',
      payload: { email: 'quiet@practice.example', password: 'wrong guess wrong guess' },
    });

    const auth = { authorization: `Bearer ${token}` };
    const { id } = json<ImportView>(await app.inject({ method: 'POST', url: '/v1/imports', headers: auth, payload: {} }));
    const secrets = {
      name: 'Zanzibar Confidential Holdings',
      email: 'ceo@zanzibar-secret.example',
      utr: '1234567890',
      phone: '+442071234567',
    };
    await app.inject({
      method: 'PUT',
      url: `/v1/imports/${id}/batches/1`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: {
        type: 'clients',
        records: [
          {
            ref: 'Z-1',
            clientReference: 'ZAN01',
            name: secrets.name,
            clientType: 'llp',
            email: secrets.email,
            utr: secrets.utr,
            phone: secrets.phone,
          },
        ],
      },
    });
    await app.inject({
      method: 'PUT',
      url: `/v1/imports/${id}/batches/2`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"type": "clients", "records": [',
    });
    await app.inject({ method: 'GET', url: '/v1/imports', headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
    await app.inject({ method: 'POST', url: `/v1/imports/${id}/complete`, headers: auth, payload: { batchCount: 1 } });
    await waitForCompletion(app, token, id);
    await app.inject({ method: 'GET', url: `/v1/imports/${id}/errors`, headers: auth });
    // What users search for are people's and companies' names.
    await app.inject({ method: 'GET', url: `/v1/clients?search=${encodeURIComponent('Zanzibar Holdings')}&limit=5`, headers: auth });
    await app.inject({ method: 'GET', url: '/v1/clients?limit=5&search=Quillfeather', headers: auth });
  } finally {
    await server.stop({ graceful: false });
  }
  assert.ok(logs.length > 1000 && logs.includes('"reqId"'), 'requests were logged');
  const secret = [
    'bcs_',
    'quiet@practice.example',
    'correct horse',
    'wrong guess',
    ADMIN_TOKEN,
    'Zanzibar',
    'zanzibar-secret',
    '1234567890',
    '2071234567',
    'ZAN01',
    'bc_session=',
    'Quillfeather',
  ];
  for (const s of secret) assert.ok(!logs.includes(s), `the logs contain ${s}`);
});
