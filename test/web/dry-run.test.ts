// A dry run in real Chromium (SPEC §10): labelled as one wherever it is shown — the home page's list, the import
// page's title, badge and counts ("would be imported") — never in the failure banner, and with no retry to press.
// Screenshots under test-results/web/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { createUser } from '../../src/users/user.service.ts';
import { createSource, sourceClient, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import { launchBrowser, openPage, screenshots, signIn, startWebApp } from './browser.ts';

const EMAIL = 'ola@beckside.example';
const PASSWORD = 'a long beckside password';

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
let dryId: string;

const client = (ref: string, extra: object = {}) => ({
  ref,
  clientReference: `R-${ref}`,
  name: `${ref} Ltd`,
  clientType: 'limited_company',
  ...extra,
});

before(async () => {
  ({ t, base } = await startWebApp());
  const practice = await createSource(t.db, 'brightmanager', 'Beckside Accountants');
  assert.ok((await createUser(t.db, practice.practiceId, EMAIL, PASSWORD)).ok);

  // A dry run with two failing records of three: they would still be failing, were it real.
  const c = sourceClient(t.app, practice.token);
  dryId = (await c.startImport({ dryRun: true })).json<ImportView>().id;
  const batch = { type: 'clients', records: [client('D-1'), client('D-2', { email: 'accounts@' }), client('D-3', { clientType: 'ltd' })] };
  assert.equal((await c.putBatch(dryId, 1, batch)).statusCode, 202);
  assert.equal((await c.complete(dryId, 1)).statusCode, 202);
  const done = await waitForCompletion(t.app, practice.token, dryId);
  assert.deepEqual([done.dryRun, done.stillFailing], [true, 2]);

  browser = await launchBrowser();
  page = await openPage(browser, [404]);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

test('the home page lists the dry run as one, and the banner leaves it out', async () => {
  await signIn(page, base, EMAIL, PASSWORD, 'Beckside Accountants');
  const item = page.locator('.import-list li').filter({ hasText: 'Dry run from BrightManager' });
  await item.getByText('Dry run — nothing was written').waitFor();
  await item.getByText('3 received · 1 would be imported · 2 would fail · 0 would be skipped').waitFor();
  assert.equal(await page.locator('section.banner').count(), 0, 'no banner: a dry run has nothing still to fix');
  await screenshots(page, '41-home-dry-run');
});

test('the import page says it wrote nothing, counts what would happen and offers no retry', async () => {
  await page.locator('.import-list').getByRole('link', { name: 'Dry run from BrightManager' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dry run from BrightManager' }).waitFor();
  await page.locator('.import-status .badge-dry-run').getByText('Dry run — nothing was written').waitFor();
  await page.locator('.import-status .state').getByText('1 record would be imported, 2 would fail, none would be skipped.').waitFor();
  await page.getByRole('note').getByText('Dry run — nothing was written.').waitFor();
  assert.deepEqual(await page.locator('table.counts thead th').allInnerTexts(), [
    'Record type',
    'Received',
    'Would be imported',
    'Would fail',
    'Would be skipped',
  ]);
  await page.getByRole('link', { name: 'Download would-be error file' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Retry failed records' }).count(), 0);
  assert.equal(await page.getByText(/still failing/).count(), 0);
  await screenshots(page, '42-import-dry-run');
});
