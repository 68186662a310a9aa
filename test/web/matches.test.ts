// One client across products in real Chromium (SPEC §9): BrightManager's export, then BrightBooks' export of the
// same practice through the API; the client and contact pages show each source with how it was matched and the
// values it sent differently. Screenshots at 1280 and 375 px under test-results/web/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ClientPage } from '../../src/contract/clients.contract.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { createUser } from '../../src/users/user.service.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, waitForCompletion, type TestApp } from '../helpers/test-app.ts';
import { launchBrowser, openPage, screenshots, signIn, startWebApp } from './browser.ts';
import { BOOKS_BATCHES, MANAGER_BATCHES } from './matches-fixture.ts';

const EMAIL = 'ravi@dalesend.example';
const PASSWORD = 'a long dales end password';

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
let managerToken: string;
let managerImport: string;
let booksImport: string;

async function importWith(token: string, batches: object[]): Promise<string> {
  const c = sourceClient(t.app, token);
  const id = (await c.startImport()).json<ImportView>().id;
  for (const [i, body] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, body)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  const done = await waitForCompletion(t.app, token, id);
  for (const [type, counts] of Object.entries(done.counts)) assert.equal(counts.failed, 0, `no ${type} of the fixture fail`);
  return id;
}

before(async () => {
  ({ t, base } = await startWebApp());
  const practice = await createSource(t.db, 'brightmanager', 'Dales End Accountants');
  managerToken = practice.token;
  const books = await createSourceToken(t.db, practice.practiceId, 'brightbooks');
  assert.ok(books.ok);
  assert.ok((await createUser(t.db, practice.practiceId, EMAIL, PASSWORD)).ok);

  managerImport = await importWith(managerToken, MANAGER_BATCHES);
  booksImport = await importWith(books.value.token, BOOKS_BATCHES);

  browser = await launchBrowser();
  page = await openPage(browser, [404, 409, 503]);
  await signIn(page, base, EMAIL, PASSWORD, 'Dales End Accountants');
});
after(async () => {
  await browser?.close();
  await t?.close();
});

/** The central id of the client the search finds first. */
async function clientId(search: string): Promise<string> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/clients?search=${encodeURIComponent(search)}`,
    headers: { authorization: `Bearer ${managerToken}` },
  });
  return json<ClientPage>(res).clients[0]!.id;
}

test("a client's page shows both products' records, how each was matched and the values that differ", async () => {
  await page.goto(`${base}/clients/${await clientId('ACME01')}`);
  await page.getByRole('heading', { level: 1, name: 'Acme Trading Ltd' }).waitFor();
  const sources = page.getByRole('region', { name: 'Sources' });
  await sources.getByText('2 source records from 2 products are this one client.', { exact: false }).waitFor();
  const items = sources.locator('.source-item');
  assert.equal(await items.count(), 2);
  const manager = items.filter({ hasText: 'BrightManager' });
  const bookkeeping = items.filter({ hasText: 'BrightBooks' });
  await manager.getByText('New record').waitFor();
  await manager.getByText('M-1', { exact: true }).waitFor();
  await bookkeeping.getByText('Same company number').waitFor();
  await bookkeeping.getByText('B-1', { exact: true }).waitFor();
  // The values BrightBooks sent differently, beside the central ones; the email it filled in is not a difference.
  const rows = bookkeeping.locator('table.source-values tbody tr');
  assert.deepEqual(
    (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim()),
    ['Client reference A001 ACME01', 'Name Acme Trading Limited Acme Trading Ltd', 'Phone 0113 249 6999 0113 249 6000'],
  );
  await page.getByText('accounts@acme.example').waitFor();
  await screenshots(page, '40-client-sources');

  // Each source row links to the import that brought it.
  await bookkeeping.getByRole('link', { name: 'View import that brought BrightBooks B-1' }).click();
  await page.getByRole('heading', { level: 1, name: 'Import from BrightBooks' }).waitFor();
  assert.match(page.url(), new RegExp(`/imports/${booksImport}$`));
  await page.goBack();
  await manager.getByRole('link', { name: /^View import/ }).click();
  assert.match(page.url(), new RegExp(`/imports/${managerImport}$`));
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Acme Trading Ltd' }).waitFor();
});

test("a contact's page shows the person both products sent as one, with the phone that differs", async () => {
  await page.getByRole('link', { name: 'Jane Smith' }).click();
  await page.getByRole('heading', { level: 1, name: 'Jane Smith' }).waitFor();
  const sources = page.getByRole('region', { name: 'Sources' });
  const bookkeeping = sources.locator('.source-item').filter({ hasText: 'BrightBooks' });
  await bookkeeping.getByText('Same name and email').waitFor();
  assert.deepEqual(
    (await bookkeeping.locator('table.source-values tbody tr').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim()),
    ['Phone 07911 123789 07911 123456'],
  );
  // One person, two roles at one client.
  await page.locator('.contact-list li', { hasText: 'Acme Trading Ltd' }).getByText('Shareholder').waitFor();
  await screenshots(page, '41-contact-sources');
});

/** A call of the API as the signed-in user, from the page (its session cookie and CSRF token). */
async function asUser<T>(method: string, path: string): Promise<{ status: number; body: T }> {
  return page.evaluate<{ status: number; body: T }>(`(async () => {
    const { csrfToken } = await (await fetch('/v1/session')).json();
    const res = await fetch(${JSON.stringify(path)}, {
      method: ${JSON.stringify(method)},
      headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: ${JSON.stringify(method)} === 'GET' ? undefined : '{}',
    });
    return { status: res.status, body: await res.json() };
  })()`);
}

const texts = async (locator: ReturnType<Page['locator']>) => (await locator.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
const item = (kind: string, type = 'Clients') =>
  page.locator('article.match-item', { has: page.getByRole('heading', { name: new RegExp(`^${kind}\\s*:\\s*${type}$`) }) });

test('the home page says how many possible duplicates are open, and leads to the review', async () => {
  await page.getByRole('link', { name: 'Home', exact: true }).click();
  const callout = page.getByRole('link', { name: '4 possible duplicates to review' });
  await callout.waitFor();
  await screenshots(page, '42-home-review');
  await callout.click();
  await page.getByRole('heading', { level: 1, name: 'Review matches' }).waitFor();
  await page.getByText('4 items to review, oldest first.').waitFor();
});

test('Review matches shows each item’s records side by side with the fields that agree and differ', async () => {
  const kinds = await page.locator('article.match-item h2').allInnerTexts();
  assert.deepEqual(kinds.map((k) => k.replace(/\s+/g, ' ').replace(' : ', ': ')).sort(), [
    'Conflicting identifiers: Clients',
    'Possible match: Clients',
    'Same product twice: Clients',
    'Same product twice: Contacts',
  ]);
  const conflict = item('Conflicting identifiers');
  assert.deepEqual(await texts(conflict.locator('th.candidate')), [
    'A A: Conflicted Ltd BrightManager M-4',
    'B B: Conflicted Ltd BrightBooks B-4',
  ]);
  await conflict.getByText('They have the same company number, but the UTR differs, so they were not joined.').waitFor();
  await item('Same product twice')
    .getByText(/^BrightBooks sent these as separate records that look like one/)
    .waitFor();
  const rows = await texts(conflict.locator('tbody tr'));
  assert.ok(rows.includes('Company number 05555555 05555555 Same'), rows.join(' | '));
  assert.ok(rows.includes('UTR 6123561509 1123666238 Differs'), rows.join(' | '));
  const possible = await texts(item('Possible match').locator('tbody tr'));
  assert.ok(possible.includes('Name Peak Dental Care Ltd Peak Dental Care Limited Same'), possible.join(' | '));
  assert.ok(possible.includes('Phone — 0113 200 0111 Only B'), possible.join(' | '));
  await screenshots(page, '43-review-open');
});

test('keep apart, from the keyboard alone: asked first, then the item is closed and the page says so', async () => {
  const twice = item('Same product twice');
  await twice.getByRole('button', { name: 'Keep apart' }).focus();
  await page.keyboard.press('Enter');
  await twice.getByText(/^Keep A \(Acme Trading Ltd\) and B \(Acme Trading \(Scotland\) Ltd\) apart for good\?/).waitFor();
  assert.equal(await page.evaluate('document.activeElement.textContent'), 'Yes, keep apart');
  await screenshots(page, '44-review-confirm');
  await page.keyboard.press('Enter');
  const said = page
    .getByRole('status')
    .filter({ hasText: 'Kept apart: Acme Trading Ltd and Acme Trading (Scotland) Ltd stay separate clients.' });
  await said.waitFor();
  assert.equal(await page.evaluate('document.activeElement.getAttribute("role")'), 'status');
  await twice.waitFor({ state: 'detached' });
  await page.getByText('3 items to review, oldest first.').waitFor();
});

test('merge: the possible match becomes one client, its page shows both sources and who merged them', async () => {
  const possible = item('Possible match');
  await possible.getByRole('button', { name: 'Merge' }).click();
  await possible
    .getByText(/^Merge B \(Peak Dental Care Limited\) into A \(Peak Dental Care Ltd\)\? A is the older record and stays/)
    .waitFor();
  // While the merge is under way nothing can be pressed twice (the answer is held back a moment to see it).
  await page.route('**/v1/matches/*/merge', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await possible.getByRole('button', { name: 'Yes, merge' }).click();
  await possible.getByRole('button', { name: 'Merging…' }).waitFor();
  assert.equal(await possible.getByRole('button', { name: 'Merging…' }).isDisabled(), true);
  assert.equal(await possible.getByRole('button', { name: 'Back' }).isDisabled(), true);
  const said = page.getByRole('status').filter({ hasText: 'Merged into Peak Dental Care Ltd: one client now, with 2 source records.' });
  await said.waitFor();
  await page.unroute('**/v1/matches/*/merge');
  await possible.waitFor({ state: 'detached' });
  await page.getByText('2 items to review, oldest first.').waitFor();

  await page.getByRole('link', { name: 'Closed' }).click();
  await page.getByText('2 items decided, oldest first.').waitFor();
  await item('Possible match').getByText(`Merged by ${EMAIL}`).waitFor();
  await item('Same product twice').getByText(`Kept apart by ${EMAIL}`).waitFor();
  await screenshots(page, '45-review-closed');

  await item('Possible match').getByRole('link', { name: 'Peak Dental Care Ltd' }).click();
  await page.getByRole('heading', { level: 1, name: 'Peak Dental Care Ltd' }).waitFor();
  const merged = page.locator('.source-item', { hasText: 'BrightBooks' });
  await merged.getByText('Merged by review').waitFor();
  assert.ok((await texts(merged.locator('table.source-values tbody tr'))).includes('Name Peak Dental Care Limited Peak Dental Care Ltd'));
  await page.getByRole('region', { name: 'History' }).getByText(`${EMAIL} merged another client into this one`).waitFor();
  await screenshots(page, '46-client-merged');
});

test('the merged-away client’s address says what it was merged into, with a link there', async () => {
  const closed = await asUser<{ matches: { kind: string; records: string[] }[] }>('GET', '/v1/matches?status=closed');
  const mergedAway = closed.body.matches.find((m) => m.kind === 'possible_match')!.records[1]!;
  await page.goto(`${base}/clients/${mergedAway}`);
  await page.getByRole('heading', { level: 1, name: 'This client was merged into Peak Dental Care Ltd' }).waitFor();
  await screenshots(page, '47-client-merged-away');
  await page.getByRole('link', { name: 'Go to Peak Dental Care Ltd' }).click();
  await page.getByRole('heading', { level: 1, name: 'Peak Dental Care Ltd' }).waitFor();
});

test('split: a source record gets its own client again, confirmed first; both pages say what happened', async () => {
  const row = page.locator('.source-item', { hasText: 'BrightBooks' });
  await row.getByRole('button', { name: 'Split off BrightBooks B-3' }).click();
  await row.getByText(/^Split BrightBooks B-3 off into a client of its own\? .* BrightManager M-3 stays here\.$/).waitFor();
  await row.getByRole('button', { name: 'Yes, split off BrightBooks B-3' }).click();
  const said = page.getByRole('status').filter({ hasText: 'BrightBooks B-3 is now a client of its own' });
  await said.waitFor();
  await row.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.source-item').count(), 1);
  await page.getByRole('region', { name: 'History' }).getByText(`${EMAIL} split BrightBooks B-3 off into a client of its own`).waitFor();
  await screenshots(page, '48-client-split');

  await said.getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: 'Peak Dental Care Limited' }).waitFor();
  await page.locator('.source-item', { hasText: 'BrightBooks' }).getByText('Split', { exact: true }).waitFor();
  await page
    .getByRole('region', { name: 'History' })
    .getByText(`${EMAIL} split BrightBooks B-3 off another client into this one`)
    .waitFor();
});

test('contacts: one product’s two records of one person are merged from the review, and split apart again on the contact page', async () => {
  await page.getByRole('link', { name: 'Matches', exact: true }).click();
  const twice = item('Same product twice', 'Contacts');
  await twice.getByText(/^BrightManager sent these as separate records that look like one/).waitFor();
  const rows = await texts(twice.locator('tbody tr'));
  assert.ok(rows.includes('Email tom@brown.example tom@brown.example Same'), rows.join(' | '));
  // (A is the older of the two, whichever ref that is.)
  assert.ok(
    rows.some((r) => /^Phone 07911 123(111 07911 123222|222 07911 123111) Differs$/.test(r)),
    rows.join(' | '),
  );
  await twice.getByRole('button', { name: 'Merge' }).click();
  await twice
    .getByText(/^Merge B \(Tom Brown\) into A \(Tom Brown\)\? .* the source records, clients and roles, and addresses of B move to it/)
    .waitFor();
  await twice.getByRole('button', { name: 'Yes, merge' }).click();
  const said = page.getByRole('status').filter({ hasText: 'Merged into Tom Brown: one contact now, with 2 source records.' });
  await said.getByRole('link', { name: 'Tom Brown' }).click();

  await page.getByRole('heading', { level: 1, name: 'Tom Brown' }).waitFor();
  // One person now, with both roles, and the phone the second record had beside the first one's.
  await page.locator('.contact-list li', { hasText: 'Peak Dental Care Ltd' }).getByText('Director').waitFor();
  await page.locator('.contact-list li', { hasText: 'Conflicted Ltd' }).getByText('Secretary').waitFor();
  const second = page.locator('.source-item', { hasText: 'Merged by review' });
  const ref = await second.locator('.source-ref code').innerText();
  const phones = { 'MP-2': '07911 123111', 'MP-3': '07911 123222' } as const;
  const [theirs, central] = ref === 'MP-2' ? [phones['MP-2'], phones['MP-3']] : [phones['MP-3'], phones['MP-2']];
  assert.deepEqual(await texts(second.locator('table.source-values tbody tr')), [`Phone ${theirs} ${central}`]);
  await screenshots(page, '50-contact-merged');
  await second.getByRole('button', { name: `Split off BrightManager ${ref}` }).click();
  await second.getByRole('button', { name: `Yes, split off BrightManager ${ref}` }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `BrightManager ${ref} is now a contact of its own: Tom Brown.` })
    .waitFor();
  await page
    .getByRole('region', { name: 'History' })
    .getByText(`${EMAIL} split BrightManager ${ref} off into a contact of its own`)
    .waitFor();
  assert.equal(await page.locator('.source-item').count(), 1);
});

test('a refusal is shown where the buttons were; an item decided elsewhere meanwhile leaves the queue with a word why', async () => {
  await page.goto(`${base}/matches`);
  const conflict = item('Conflicting identifiers');
  // The server answers that it is busy (merges wait while an import of the practice is processed): the refusal is
  // shown in place, and the buttons are ready to try again.
  await page.route('**/v1/matches/*/keep-apart', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      headers: { 'retry-after': '5' },
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'An import is being processed: try again shortly.',
      }),
    }),
  );
  await conflict.getByRole('button', { name: 'Keep apart' }).click();
  await conflict.getByRole('button', { name: 'Yes, keep apart' }).click();
  await conflict.getByRole('alert').filter({ hasText: 'An import is being processed: try again shortly.' }).waitFor();
  assert.equal(await conflict.getByRole('button', { name: 'Yes, keep apart' }).isEnabled(), true);
  await screenshots(page, '49-review-refused');
  await page.unroute('**/v1/matches/*/keep-apart');
  await conflict.getByRole('button', { name: 'Back' }).click();

  // Someone else keeps the two apart meanwhile; Merge here finds the item decided.
  await conflict.getByRole('button', { name: 'Merge' }).click();
  const open = await asUser<{ matches: { id: string }[] }>('GET', '/v1/matches?status=open');
  assert.equal((await asUser('POST', `/v1/matches/${open.body.matches[0]!.id}/keep-apart`)).status, 200);
  await conflict.getByRole('button', { name: 'Yes, merge' }).click();
  await page.getByRole('status').filter({ hasText: 'Someone else decided about Conflicted Ltd and Conflicted Ltd meanwhile' }).waitFor();
  await conflict.waitFor({ state: 'detached' });
  await page.getByText('Nothing to review: every possible duplicate has been decided.').waitFor();

  await page.getByRole('link', { name: 'Home', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Dales End Accountants' }).waitFor();
  assert.equal(await page.locator('.review-callout').count(), 0, 'no pointer to the review while nothing is open');
});
