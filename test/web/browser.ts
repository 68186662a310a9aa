// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core against a real server on 127.0.0.1, and
// screenshots of each screen at desktop and phone widths under test-results/web/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../src/http/web.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/web');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 800 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A test server with sessions and the built web UI, listening on a free loopback port, and its address. */
export async function startWebApp(): Promise<{ t: TestApp; base: string }> {
  await ensureWebBuild(() => {});
  const t = await startTestApp({ sessions: true });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, base: `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}` };
}

/**
 * A desktop-sized page that fails the test on a script error or a console error, but for the answers of the
 * `expected` statuses the test provokes (401 before signing in always is).
 */
export async function openPage(browser: Browser, expected: number[] = []): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const quiet = new RegExp(`status of (${[401, ...expected].join('|')})`);
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !quiet.test(message.text())) assert.fail(`console error: ${message.text()}`);
  });
  return page;
}

/** Signs in with the form, as a user would, and waits for the practice's home page. */
export async function signIn(page: Page, base: string, email: string, password: string, practice: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: practice }).waitFor();
}

/**
 * Screenshots the page at 1280 and 375 px wide (full page), and checks that at 375 px nothing overflows sideways:
 * a phone user never has to scroll horizontally.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1280.png`), fullPage: true, animations: 'disabled' });
  await page.setViewportSize(PHONE);
  // (Page scripts are strings: this tsconfig has no DOM types.)
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  assert.ok(overflow <= 0, `${name}: the page is ${overflow} px wider than a 375 px screen`);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-375.png`), fullPage: true, animations: 'disabled' });
  await page.setViewportSize(DESKTOP);
}

/** Every value the progress bar takes from now on, recorded in the page (the bar updates from the event stream). */
export async function recordProgress(page: Page, label: string): Promise<() => Promise<number[]>> {
  await page.getByRole('progressbar', { name: label, exact: true }).waitFor();
  const key = JSON.stringify(label);
  await page.evaluate(`(() => {
    const bar = document.querySelector('[role="progressbar"][aria-label=' + CSS.escape(${key}) + ']');
    const seen = [Number(bar.getAttribute('aria-valuenow'))];
    window.progressSeen = seen;
    new MutationObserver(() => seen.push(Number(bar.getAttribute('aria-valuenow')))).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
  })()`);
  return async () => page.evaluate<number[]>('window.progressSeen');
}

/** Waits until the progress bar of that label shows 100 %. */
export async function progressComplete(page: Page, label: string): Promise<void> {
  await page.locator(`[role="progressbar"][aria-label="${label}"][aria-valuenow="100"]`).waitFor();
}
