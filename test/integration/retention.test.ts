// Staged records go after the retention period; the import, its counts, error file and failed refs stay.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { purgeExpiredStagedRecords } from '../../src/jobs/retention.ts';
import type { ImportView, RefLists } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

const staged = async (importId: string) =>
  (
    await t.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM staged_clients WHERE import_id = $1) + (SELECT count(*) FROM staged_contacts WHERE import_id = $1)
            + (SELECT count(*) FROM staged_contact_links WHERE import_id = $1) + (SELECT count(*) FROM staged_addresses WHERE import_id = $1) AS n`,
      [importId],
    )
  ).rows[0]!.n;

test('staged records of imports completed longer ago than the retention are deleted; the rest stays', async () => {
  const { token } = await createSource(t.db);
  const c = sourceClient(t.app, token);
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { id } = json<ImportView>(await c.startImport());
    await c.putBatch(id, 1, {
      type: 'clients',
      records: [
        { ref: `R${i}`, clientReference: `R${i}`, name: 'Ok Ltd', clientType: 'llp' },
        { ref: `BAD${i}`, name: 'No Reference' },
      ],
    });
    await c.putBatch(id, 2, {
      type: 'contacts',
      records: [{ ref: `P${i}`, lastName: 'Lee', clients: [{ ref: `R${i}`, role: 'director' }] }],
    });
    await c.complete(id, 2);
    await waitForCompletion(t.app, token, id);
    ids.push(id);
  }
  const [old, recent] = ids as [string, string];
  await t.db.query(`UPDATE imports SET completed_at = now() - interval '31 days' WHERE id = $1`, [old]);
  const before = {
    view: json<ImportView>(await c.get(`/v1/imports/${old}`)),
    errors: (await c.get(`/v1/imports/${old}/errors`)).body,
    refs: json<RefLists>(await c.get(`/v1/imports/${old}/failed-refs`)),
  };

  assert.equal(await purgeExpiredStagedRecords(t.db, 30), 1);
  assert.equal(await staged(old), 0);
  assert.ok((await staged(recent)) > 0, 'a recent import keeps its staged records');
  assert.deepEqual(json<ImportView>(await c.get(`/v1/imports/${old}`)), before.view);
  assert.equal((await c.get(`/v1/imports/${old}/errors`)).body, before.errors);
  assert.match(before.errors, /BAD0,No Reference,,clientReference,/);
  assert.deepEqual(json<RefLists>(await c.get(`/v1/imports/${old}/failed-refs`)), before.refs);
  assert.equal(await purgeExpiredStagedRecords(t.db, 30), 0, 'purged once');
});
