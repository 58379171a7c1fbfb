import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Every run takes the screenshots; UPDATE_SCREENSHOTS=1 writes them over the documentation's copies.
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'dist/screenshots';

/** Debian's Chromium, headless, with a fresh profile (Playwright gives each launch its own). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  if (!existsSync('dist/console/index.html'))
    throw new Error('dist/console is missing: npm run build:console');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export async function signInOnPage(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A fresh browser context (no cookies), signed in through the sign-in form, live. */
export async function openConsolePage(
  browser: Browser,
  port: number,
  username: string,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/`);
  await signInOnPage(page, username, `${username}-password-for-tests`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  return page;
}
