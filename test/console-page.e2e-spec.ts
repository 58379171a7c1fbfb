// Proves the console page at / shows patients, live vitals and a new alert, in a real Chromium.
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import {
  admitPatientWithDevice,
  connectDevice,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the console page in Chromium', () => {
  let vigil: VigilHarness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    if (!existsSync('dist/console/index.html'))
      throw new Error('dist/console is missing: npm run build:console');
    vigil = await startVigil();
    await admitPatientWithDevice(
      vigil,
      { id: 'p-c1', name: 'Rosalind Franklin', ward: 'ward-5' },
      'wear-c1',
    );
    // Playwright gives every launch a fresh, empty profile (its own --user-data-dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage();
    await page.goto(vigil.httpUrl);
    await page.getByText('Live', { exact: true }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop({ removeData: true });
  });

  it('shows the admitted patient, then her live vitals and a breach as an alert', async () => {
    const tile = page.locator('article[data-patient-id="p-c1"]');
    await tile.getByText('Rosalind Franklin').waitFor();
    await tile.getByText('no data yet').waitFor();

    const wearable = await connectDevice(vigil, 'wear-c1');
    const sent = Date.now();
    await wearable.publishAsync(
      'devices/wear-c1/vitals',
      JSON.stringify({
        samples: [
          { ts: sent - 16_000, seq: 1, vitals: { heartRate: 39 } },
          { ts: sent, seq: 2, vitals: { heartRate: 38, spo2: 97, temperature: 36.9 } },
        ],
      }),
      { qos: 1 },
    );

    const alert = page.locator('#alerts li[data-priority="high"]');
    await alert.waitFor({ timeout: 2_000 });
    expect(Date.now() - sent).toBeLessThan(2_000);
    expect(await alert.textContent()).toMatch(
      /Rosalind Franklin: Heart rate 38 \/min \(below 41\)/,
    );
    expect(await tile.getAttribute('data-alert')).toBe('high');
    // Live vitals are throttled per patient; the latest value follows within 250 ms.
    await tile
      .locator('dd[data-vital="heartRate"]', { hasText: '38 /min' })
      .waitFor({ timeout: 1_000 });
    expect(await tile.locator('dd[data-vital="temperature"]').textContent()).toBe('36.9 °C');
    // The heart-rate alert, and NEWS2's single-parameter-3 alert (held 16 s) with its clinical response.
    expect(await page.locator('#alert-count').textContent()).toBe('2');
    expect(await page.locator('#alerts li[data-priority="low"]').textContent()).toMatch(
      /NEWS2 3 \(low-medium, partial\)/,
    );
    await wearable.endAsync();
  });
});
