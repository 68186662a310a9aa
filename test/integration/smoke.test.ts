import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createSource, sourceClient, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => { t = await startTestApp(); });
after(async () => { await t?.close(); });

test('smoke', async () => {
  const { token } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const started = await c.startImport();
  assert.equal(started.statusCode, 201, started.body);
  const id = started.json().id;
  const b1 = await c.putBatch(id, 1, { type: 'clients', records: [
    { ref: 'C-1', clientReference: 'ACME01', name: 'Acme Ltd', clientType: 'limited_company', postcode: 'x' },
    { ref: 'C-2', clientReference: 'BETA01', name: 'Beta', clientType: 'ltd' },
  ] });
  console.log(b1.statusCode, b1.body);
  const b2 = await c.putBatch(id, 2, { type: 'contacts', records: [
    { ref: 'P-1', firstName: 'Jane', lastName: 'Smith', clients: [{ ref: 'C-1', role: 'director' }] },
    { ref: 'P-2', firstName: 'John', lastName: 'Smith', clients: [{ ref: 'C-2', role: 'director' }] },
  ] });
  console.log(b2.statusCode, b2.body);
  const b3 = await c.putBatch(id, 3, { type: 'addresses', records: [
    { ref: 'A-1', owner: { type: 'contact', ref: 'P-2' }, line1: '1 High St', town: 'Leeds', postcode: 'LS1 1AA', from: '2020-01-01' },
    { ref: 'A-2', owner: { type: 'client', ref: 'C-1' }, line1: '2 High St', town: 'Leeds', postcode: 'LS1 1AA', from: '2020-01-01' },
  ] });
  console.log(b3.statusCode, b3.body);
  const done = await c.complete(id, 3);
  console.log(done.statusCode, done.body);
  const final = await waitForCompletion(t.app, token, id);
  console.log(JSON.stringify(final, null, 1));
  const errs = await t.db.query('select * from record_errors');
  console.log(errs.rows);
});
