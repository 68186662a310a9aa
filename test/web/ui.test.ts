// The web UI in real Chromium against a real server: sign in, follow an import live to 100 %, the failure banner,
// the error file, a retry fulfilled by the source product, client search with a typo, client and contact pages,
// sign out. Every screen is photographed at 1280 and 375 px wide (test-results/web/).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ImportList, ImportView, RefLists } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { ADMIN_TOKEN, createSource, sourceClient, type TestApp } from '../helpers/test-app.ts';
import { generatePractice, toBatches, type GeneratedRecord } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { RECORD_TYPES, type RecordType } from '../../src/contract/records.ts';
import { launchBrowser, openPage, progressComplete, recordProgress, screenshots, startWebApp } from './browser.ts';

const EMAIL = 'maya@harbour.example';
const PASSWORD = 'a long harbour password';

let t: TestApp;
let base: string;
let source: ReturnType<typeof sourceClient>;
let browser: Browser;
let page: Page;
let firstImport: string;

type Rec = Record<string, unknown>;
const asRecords = (records: Record<RecordType, Rec[]>): GeneratedRecord[] =>
  RECORD_TYPES.flatMap((type) => records[type].map((record) => ({ type, record })));

// Records a person would recognise, among thousands of generated ones; Brook & Fell has two bad fields.
const showcase: Record<RecordType, Rec[]> = {
  clients: [
    {
      ref: 'HX-1',
      clientReference: 'HARG01',
      name: 'Hargreaves & Sons Plumbing Ltd',
      clientType: 'limited_company',
      companyNumber: '04523817',
      vatNumber: 'GB980780684',
      email: 'accounts@hargreaves-plumbing.example',
      phone: '+442079460956',
      website: 'hargreaves-plumbing.example',
    },
    { ref: 'HX-2', clientReference: 'CAFE01', name: 'Café Lumière', clientType: 'partnership' },
    { ref: 'HX-3', clientReference: 'NORTH01', name: 'Northern Lights Trust', clientType: 'trust', utr: '1955839661' },
    {
      ref: 'HX-4',
      clientReference: 'BROOK01',
      name: 'Brook & Fell Ltd',
      clientType: 'limited_company',
      companyNumber: 'ABC',
      email: 'info@',
    },
  ],
  contacts: [
    {
      ref: 'HP-1',
      title: 'Mrs',
      firstName: 'Margaret',
      lastName: 'Hargreaves',
      email: 'margaret@hargreaves-plumbing.example',
      phone: '+33 1 42 68 53 00',
      niNumber: 'AB 12 34 56 C',
      clients: [
        { ref: 'HX-1', role: 'director' },
        { ref: 'HX-2', role: 'partner' },
      ],
    },
    { ref: 'HP-2', firstName: 'Tom', lastName: 'Hargreaves', clients: [{ ref: 'HX-1', role: 'secretary' }] },
    { ref: 'HP-3', firstName: 'Elin', lastName: 'Brook', clients: [{ ref: 'HX-4', role: 'director' }] },
  ],
  addresses: [
    {
      ref: 'HA-1',
      owner: { type: 'client', ref: 'HX-1' },
      kind: 'registered',
      line1: '14 Canal Wharf',
      town: 'Leeds',
      postcode: 'LS11 5PS',
      from: '2015-03-01',
      to: '2020-06-30',
    },
    {
      ref: 'HA-2',
      owner: { type: 'client', ref: 'HX-1' },
      kind: 'registered',
      line1: 'Unit 3, Kirkstall Works',
      line2: 'Kirkstall Road',
      town: 'Leeds',
      county: 'West Yorkshire',
      postcode: 'LS4 2AZ',
      from: '2020-07-01',
    },
    {
      ref: 'HA-3',
      owner: { type: 'client', ref: 'HX-1' },
      kind: 'trading',
      line1: '2 Market Street',
      town: 'Otley',
      postcode: 'LS21 3AF',
      from: '2018-01-01',
    },
    {
      ref: 'HA-4',
      owner: { type: 'contact', ref: 'HP-1' },
      kind: 'home',
      line1: '7 Moor Lane',
      town: 'Ilkley',
      postcode: 'LS29 9HD',
      from: '2001-05-01',
    },
  ],
};
const CLIENTS = 3000;
const exported = [...asRecords(showcase), ...generatePractice({ clients: CLIENTS }).records];

before(async () => {
  ({ t, base } = await startWebApp());
  const practice = await createSource(t.db, 'brightmanager', 'Harbour Accountants');
  source = sourceClient(t.app, practice.token);
  const user = await t.app.inject({
    method: 'POST',
    url: `/admin/practices/${practice.practiceId}/users`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { email: EMAIL, password: PASSWORD },
  });
  assert.equal(user.statusCode, 201, user.body);
  browser = await launchBrowser();
  page = await openPage(browser);
});
after(async () => {
  await browser?.close();
  await t?.close();
});

async function uploadAll(importId: string, batches: object[], from = 1): Promise<void> {
  for (const [i, body] of batches.entries()) {
    const res = await source.putBatch(importId, from + i, body);
    assert.equal(res.statusCode, 202, res.body);
  }
}

test('sign in: a wrong password is refused, the keyboard alone signs in', async () => {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await screenshots(page, '01-sign-in');

  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('The email or password is not right.').waitFor();
  await screenshots(page, '02-sign-in-refused');

  await page.getByLabel('Email').fill('');
  await page.getByLabel('Password').fill('');
  await page.getByLabel('Email').focus();
  await page.keyboard.type(EMAIL);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Harbour Accountants' }).waitFor();
  await page.getByText('No imports yet').waitFor();
  await page.getByText('Type a name, client reference or company number.').waitFor();
  assert.equal(await page.locator('.banner').count(), 0);
  await screenshots(page, '03-home-empty');
});

test('an import’s page follows it live: batches arrive, then the progress bar runs to 100 %', async () => {
  const started = await source.startImport();
  firstImport = json<ImportView>(started).id;
  const batches = toBatches(exported, 500);

  await page.goto(`${base}/imports/${firstImport}`);
  await page.getByText('Receiving batches from BrightManager: 0 batches (0 records) received so far.').waitFor();
  await uploadAll(firstImport, batches.slice(0, 5));
  await page.getByText('Receiving batches from BrightManager: 5 batches (2,500 records) received so far.').waitFor();
  await screenshots(page, '04-import-receiving');

  const seen = await recordProgress(page, 'Import progress');
  await uploadAll(firstImport, batches.slice(5), 6);
  const completed = await source.complete(firstImport, batches.length);
  assert.equal(completed.statusCode, 202, completed.body);
  await progressComplete(page, 'Import progress');
  await page
    .locator('.state')
    .getByText(/^[\d,]+ records imported, [\d,]+ failed/)
    .waitFor();
  const values = await seen();
  process.stdout.write(`# progress seen on the page: ${values.join(', ')}\n`);
  // How many values between 0 and 100 the page catches depends on the machine's speed (the server polls an import
  // twice a second); what must hold is that the open page went from empty to full by itself, never backwards.
  assert.equal(values[0], 0, 'the bar starts empty');
  assert.equal(values.at(-1), 100);
  assert.deepEqual(
    values,
    [...values].sort((a, b) => a - b),
    'the bar never goes back',
  );

  // The counts on screen are the import's.
  const view = json<ImportView>(await source.get(`/v1/imports/${firstImport}`));
  const row = page.locator('tr[data-type="clients"] td');
  assert.deepEqual(
    await row.allInnerTexts(),
    [
      view.counts.clients.received,
      view.counts.clients.imported,
      view.counts.clients.failed,
      view.counts.clients.stillFailing,
      view.counts.clients.skipped,
    ].map((n) => n.toLocaleString('en-GB')),
  );
  assert.ok(view.counts.clients.failed > 0);
  await page.getByText(/processed in (\d+ s|under a second)/).waitFor();
  await page.getByRole('link', { name: 'Download error file' }).waitFor();
  await screenshots(page, '05-import-completed');
});

test('home: the failure banner offers the error file, whose rows are the import’s failures', async () => {
  await page.getByRole('link', { name: 'Home' }).click();
  const banner = page.locator('section.banner');
  await banner.getByRole('heading', { name: /^[\d,]+ records are still failing in 1 recent import$/ }).waitFor();
  await banner.locator('summary').click();
  await page
    .getByRole('link', { name: /^Import from BrightManager/ })
    .first()
    .waitFor();
  await screenshots(page, '06-home-banner');

  const [download] = await Promise.all([page.waitForEvent('download'), banner.getByRole('link', { name: 'Error file' }).click()]);
  assert.equal(download.suggestedFilename(), `brightclient-errors-${firstImport}.csv`);
  const csv = await readFile(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'UTF-8 byte-order mark');
  const lines = csv.slice(1).trim().split(/\r?\n/);
  assert.match(lines[0]!, /^record_type,record_ref,record_name,client_reference,field,reason/);
  const expected = json<unknown[]>(await source.get(`/v1/imports/${firstImport}/errors?format=json`));
  assert.equal(lines.length - 1, expected.length, 'one CSV row per failing field');
  assert.ok(lines.some((l) => l.startsWith('client,HX-4,Brook & Fell Ltd,BROOK01,companyNumber,')));
  assert.ok(lines.some((l) => l.startsWith('client,HX-4,Brook & Fell Ltd,BROOK01,email,')));
  assert.ok(lines.some((l) => l.startsWith('contact,HP-3,Elin Brook,BROOK01,clients[0].ref,')));
});

test('retry: the user starts it, the page waits for the source, and follows the retry to 100 %', async () => {
  await page.locator('section.banner').getByRole('link', { name: 'View import' }).click();
  await page.getByRole('heading', { level: 1, name: 'Import from BrightManager' }).waitFor();
  const failedRefs = json<RefLists>(await source.get(`/v1/imports/${firstImport}/failed-refs`));
  const failing = Object.values(failedRefs).reduce((n, refs) => n + refs.length, 0);
  await page.getByText(`resends the ${failing.toLocaleString('en-GB')} records that still fail`).waitFor();

  await page.getByRole('button', { name: 'Retry failed records' }).click();
  await page.getByText(`Waiting for BrightManager to resend ${failing.toLocaleString('en-GB')} failed records`).waitFor();
  await screenshots(page, '07-retry-waiting');

  // The page can be closed and opened again: the waiting retry is still there.
  await page.reload();
  await page.getByText(`Waiting for BrightManager to resend ${failing.toLocaleString('en-GB')} failed records`).waitFor();

  // The source product finds the retry and resends the failed records, corrected.
  const receiving = json<ImportList>(await source.get('/v1/imports?status=receiving')).imports;
  const retry = receiving.find((i) => i.retryOf === firstImport);
  assert.ok(retry);
  const requested = retry.requested!;
  const wanted = (type: RecordType) => new Set(requested[type]);
  // The practice fixed its data: the showcase's bad fields by hand, the generated ones as the generator planted them.
  const fixedShowcase: Record<RecordType, Rec[]> = {
    clients: showcase.clients.map((c) => ({
      ...c,
      vatNumber: 'GB980780684',
      companyNumber: '07123456',
      email: 'office@corrected.example',
    })),
    contacts: showcase.contacts,
    addresses: showcase.addresses.map((a) => ({ ...a, postcode: 'LS1 5HD' })),
  };
  const corrected = [...asRecords(fixedShowcase), ...generatePractice({ clients: CLIENTS, corrected: true }).records].filter(
    ({ type, record }) => wanted(type).has(record['ref'] as string),
  );
  const batches = toBatches(corrected, 500);
  const seen = await recordProgress(page, 'Retry progress');
  await uploadAll(retry.id, batches);
  assert.equal((await source.complete(retry.id, batches.length)).statusCode, 202);
  await progressComplete(page, 'Retry progress');
  await page
    .locator('.state')
    .getByText(`${failing.toLocaleString('en-GB')} records imported, none failed, none skipped.`)
    .waitFor();
  // The list of retries follows too.
  await page.locator('.import-list li', { hasText: 'Retry from BrightManager' }).getByText('Completed').waitFor();
  await page.getByText('Every failed record of this import has been imported since.').waitFor();
  assert.equal((await seen()).at(-1), 100);
  await screenshots(page, '08-retry-completed');

  await page.getByRole('link', { name: 'Open the retry' }).click();
  await page.getByRole('heading', { level: 1, name: 'Retry from BrightManager' }).waitFor();
  await page.getByRole('link', { name: 'retry of an earlier import' }).waitFor();
  assert.equal(await page.locator('.notice').count(), 0, 'the source sent every record the retry asked for');
  await screenshots(page, '09-retry-page');
});

test('once a retry brought every failed record in, the banner is gone and the list says so', async () => {
  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByRole('heading', { name: 'Recent imports' }).waitFor();
  await page.getByRole('link', { name: /^Retry from BrightManager/ }).waitFor();
  await page
    .locator('.import-list li', { hasText: 'Import from BrightManager' })
    .getByText(/failed · all imported since/)
    .waitFor();
  assert.equal(await page.locator('section.banner').count(), 0);
});

test('clients: search with a typo, page through, open a client and a contact', async () => {
  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
  // Without a search the practice's clients are listed, a page at a time.
  await page.getByText('20 clients shown, more below').waitFor();
  await page.getByRole('button', { name: 'Show more clients' }).click();
  await page.getByText('40 clients shown, more below').waitFor();
  await screenshots(page, '10-clients');

  const box = page.getByLabel('Search clients');
  await box.pressSequentially('hargreves plumbng', { delay: 30 });
  const first = page.getByRole('list', { name: 'Clients' }).getByRole('link').first();
  const bestMatch = page.locator('.client-list li:first-child a', { hasText: /^Hargreaves & Sons Plumbing Ltd$/ });
  await bestMatch.waitFor();
  assert.match(page.url(), /\/clients\?search=hargreves%20plumbng$/);
  await screenshots(page, '11-clients-search');

  await first.click();
  await page.getByRole('heading', { level: 1, name: 'Hargreaves & Sons Plumbing Ltd' }).waitFor();
  await page.getByText('HARG01').waitFor();
  const contacts = page.locator('.contact-list li');
  await contacts.filter({ hasText: 'Mrs Margaret Hargreaves' }).getByText('Director').waitFor();
  await contacts.filter({ hasText: 'Tom Hargreaves' }).getByText('Secretary').waitFor();
  const timeline = page.locator('.timeline li');
  assert.equal(await timeline.count(), 3);
  assert.match(await timeline.first().innerText(), /now/);
  await page.getByText('1 Mar 2015 – 30 Jun 2020').waitFor();
  // A UK phone number reads in national format; a website is a link.
  assert.equal(await page.getByRole('link', { name: '020 7946 0956' }).getAttribute('href'), 'tel:+442079460956');
  assert.equal(
    await page.getByRole('link', { name: 'hargreaves-plumbing.example', exact: true }).getAttribute('href'),
    'https://hargreaves-plumbing.example',
  );
  await screenshots(page, '12-client');

  await page.getByRole('link', { name: 'Mrs Margaret Hargreaves' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mrs Margaret Hargreaves' }).waitFor();
  await page.getByRole('link', { name: 'Café Lumière' }).waitFor();
  await page.getByText('7 Moor Lane, Ilkley, LS29 9HD').waitFor();
  await page.getByRole('link', { name: '+33 1 42 68 53 00' }).waitFor(); // international otherwise
  await page.getByText('AB123456C').waitFor();
  await screenshots(page, '13-contact');

  // Back returns to the search results.
  await page.goBack();
  await page.goBack();
  await bestMatch.waitFor();
  assert.equal(await page.getByLabel('Search clients').inputValue(), 'hargreves plumbng');
});

test('contacts: listed, and searched by name with a typo, best match first', async () => {
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
  await page.getByLabel('Search contacts').pressSequentially('Margret Hargreaevs', { delay: 30 });
  await page.locator('.client-list li:first-child a', { hasText: /^Margaret Hargreaves$/ }).waitFor();
  await page.getByText(/exact names and codes first/).waitFor();
});

test('sign out ends the session', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const status = await page.evaluate("fetch('/v1/imports').then((r) => r.status)");
  assert.equal(status, 401);
});
