// "Undo this import" in real Chromium (SPEC §10): the import page previews what the undo removes, naming some of it,
// asks for a confirmation that says how many records go, then follows the undo live to the Undone badge. A refused
// undo (a later import depends on it) says why and offers no confirmation. Screenshots under test-results/web/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { createUser } from '../../src/users/user.service.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import { launchBrowser, openPage, screenshots, signIn, startWebApp } from './browser.ts';

const EMAIL = 'uma@undo.example';
const PASSWORD = 'a long undo practice password';

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
let token: string;

async function importWith(batches: object[]): Promise<string> {
  const c = sourceClient(t.app, token);
  const id = json<ImportView>(await c.startImport()).id;
  for (const [i, body] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, body)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  await waitForCompletion(t.app, token, id);
  return id;
}

const client = (ref: string, name: string) => ({ ref, clientReference: ref, name, clientType: 'limited_company' });

before(async () => {
  ({ t, base } = await startWebApp());
  const practice = await createSource(t.db, 'brightmanager', 'Undo Accountants');
  token = practice.token;
  assert.ok((await createUser(t.db, practice.practiceId, EMAIL, PASSWORD)).ok);
  browser = await launchBrowser();
  page = await openPage(browser);
  await signIn(page, base, EMAIL, PASSWORD, 'Undo Accountants');
});
after(async () => {
  await browser?.close();
  await t?.close();
});

test('undo from the import page: preview with names, a confirmation naming the count, then Undone', async () => {
  const id = await importWith([
    {
      type: 'clients',
      records: [client('C-1', 'Alder Joinery Ltd'), client('C-2', 'Birch Bakery Ltd'), client('C-3', 'Cedar Dental Ltd')],
    },
    { type: 'contacts', records: [{ ref: 'P-1', firstName: 'Ann', lastName: 'Oak', clients: [{ ref: 'C-1', role: 'director' }] }] },
  ]);
  await page.goto(`${base}/imports/${id}`);
  const section = page.getByRole('region', { name: 'Undo this import' });
  await section.getByRole('button', { name: 'Undo this import…' }).click();
  await section.getByText('Removes 3 clients, 1 contact from BrightClient.').waitFor();
  await section.getByText('clients: Alder Joinery Ltd; Birch Bakery Ltd; Cedar Dental Ltd').waitFor();
  await section.getByText('Remove 4 records (3 clients, 1 contact)?', { exact: false }).waitFor();
  await screenshots(page, 'undo-preview');
  await section.getByRole('button', { name: 'Yes, remove 4 records' }).click();
  await page.locator('.badge', { hasText: 'Undone' }).waitFor();
  await page
    .locator('.state')
    .getByText(new RegExp(`^Undone .+ by ${EMAIL}: what it brought into BrightClient was removed`))
    .waitFor();
  assert.equal(await page.getByRole('region', { name: 'Undo this import' }).count(), 0, 'nothing more to undo');
  await screenshots(page, 'undo-undone');
  await page.goto(`${base}/`);
  await page.locator('.badge', { hasText: 'Undone' }).first().waitFor();
});

test('a refused undo says why and offers no confirmation', async () => {
  const first = await importWith([{ type: 'clients', records: [client('D-1', 'Elm Garden Centre Ltd')] }]);
  await importWith([{ type: 'contacts', records: [{ ref: 'P-9', lastName: 'Ash', clients: [{ ref: 'D-1', role: 'owner' }] }] }]);
  await page.goto(`${base}/imports/${first}`);
  const section = page.getByRole('region', { name: 'Undo this import' });
  await section.getByRole('button', { name: 'Undo this import…' }).click();
  await section.getByText(/It cannot be undone now: Records of later imports depend on/).waitFor();
  assert.equal(await section.getByRole('button', { name: /Yes, remove/ }).count(), 0);
  await screenshots(page, 'undo-refused');
});
