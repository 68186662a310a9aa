// The Activation panel in real Chromium (SPEC §10): a practice with BrightManager and BrightBooks activates from the
// home page; each line follows its product live — waiting, receiving, processing, completed with its counts and
// what is still failing — and the panel is gone once every product has completed. Screenshots at 1280 and 375 px
// under test-results/web/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { ADVISORY_LOCKS } from '../../src/db/advisory-locks.sql.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { createUser } from '../../src/users/user.service.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import { launchBrowser, openPage, screenshots, signIn, startWebApp } from './browser.ts';

const EMAIL = 'nia@fellside.example';
const PASSWORD = 'a long fellside password';

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
let practiceId: string;
let manager: ReturnType<typeof sourceClient>;
let books: ReturnType<typeof sourceClient>;
let tokens: { manager: string; books: string };

before(async () => {
  ({ t, base } = await startWebApp());
  const practice = await createSource(t.db, 'brightmanager', 'Fellside Accountants');
  practiceId = practice.practiceId;
  const booksToken = await createSourceToken(t.db, practiceId, 'brightbooks');
  assert.ok(booksToken.ok);
  tokens = { manager: practice.token, books: booksToken.value.token };
  manager = sourceClient(t.app, tokens.manager);
  books = sourceClient(t.app, tokens.books);
  assert.ok((await createUser(t.db, practiceId, EMAIL, PASSWORD)).ok);

  browser = await launchBrowser();
  page = await openPage(browser);
  await signIn(page, base, EMAIL, PASSWORD, 'Fellside Accountants');
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const panel = () => page.getByRole('region', { name: 'Activation' });
const line = (product: string) => panel().getByRole('listitem').filter({ hasText: product });

/** The activation import the source's agent would find: the one receiving import of its token. */
async function activationImport(c: ReturnType<typeof sourceClient>): Promise<string> {
  const [found, ...more] = json<{ imports: ImportView[] }>(await c.get('/v1/imports?status=receiving')).imports;
  assert.equal(more.length, 0);
  assert.equal(found!.kind, 'activation');
  return found!.id;
}

const acme = { ref: 'M-1', clientReference: 'ACME01', name: 'Acme Trading Ltd', clientType: 'limited_company', companyNumber: '01234567' };

test('activate from the home page, then follow each product live to completed', { timeout: 180_000 }, async () => {
  await line('BrightManager').getByText('Not started').first().waitFor();
  await line('BrightBooks').getByText('Not started').first().waitFor();
  await screenshots(page, 'activation-not-started');

  await panel().getByRole('button', { name: 'Activate BrightClient' }).click();
  await line('BrightManager').getByText('Waiting for the product').waitFor();
  await line('BrightBooks').getByText('Waiting for the product').waitFor();
  await panel().getByText(`Activated by ${EMAIL} at`).waitFor();
  assert.equal(await panel().getByRole('button').count(), 0, 'nothing left to activate');
  await page.getByRole('link', { name: 'Activation from BrightBooks' }).waitFor();
  await screenshots(page, 'activation-waiting');

  const managerImport = await activationImport(manager);
  const booksImport = await activationImport(books);
  // The practice's import lock, held from another connection, keeps BrightManager's import processing meanwhile.
  const holder = new pg.Client({ connectionString: t.database.url });
  await holder.connect();
  try {
    await holder.query('SELECT pg_advisory_lock(hashtextextended($1, $2))', [practiceId, ADVISORY_LOCKS.practiceImports]);
    const bad = { ref: 'M-2', clientReference: 'BAD01', name: 'Broken Ltd', clientType: 'limited_company', email: 'nope@' };
    assert.equal((await manager.putBatch(managerImport, 1, { type: 'clients', records: [acme, bad] })).statusCode, 202);
    assert.equal((await manager.complete(managerImport, 1)).statusCode, 202);
    const same = { ...acme, ref: 'B-1', name: 'Acme Trading Limited' };
    assert.equal((await books.putBatch(booksImport, 1, { type: 'clients', records: [same] })).statusCode, 202);
    await line('BrightManager').getByText('Processing', { exact: true }).waitFor();
    await line('BrightBooks').getByText('1 batch · 1 record received').waitFor();
    await screenshots(page, 'activation-under-way');
  } finally {
    await holder.end();
  }
  await waitForCompletion(t.app, tokens.manager, managerImport);
  assert.equal((await books.complete(booksImport, 1)).statusCode, 202);
  await waitForCompletion(t.app, tokens.books, booksImport);

  // The page that watched the end keeps the panel, with each product's counts.
  await line('BrightManager').getByText('1 imported (0 matched to another product’s records) · 1 failed · 1 still failing').waitFor();
  await line('BrightBooks').getByText('1 imported (1 matched to another product’s records) · 0 failed').waitFor();
  await panel().getByText('Every product has migrated its records.').waitFor();
  await screenshots(page, 'activation-completed');

  // Every product completed: the home page no longer shows the panel.
  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Recent imports' }).waitFor();
  await page.getByRole('link', { name: 'Activation from BrightBooks' }).waitFor();
  assert.equal(await panel().count(), 0);
});
