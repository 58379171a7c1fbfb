// Proves the observation form and the alarm pause in a real Chromium: a nurse previews the NEWS2
// a set would give, cannot save without confirming the patient by her two identifiers, saves, and
// sees the set listed and the next set's due time on the ward tile; she pauses the patient's
// alarms, every console of the ward shows the pause counting down, and she resumes them; her
// values are marked on the patient's charts apart from the wearable's.
import type { News2View } from '@vigil/contracts';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { SCREENSHOTS, launchChromium, openConsolePage } from './support/console-browser';
import {
  admitPatientWithDevice,
  connectDevice,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('the observation form and the alarm pause, in Chromium', () => {
  let vigil: VigilHarness;
  let browser: Browser;
  let nurse: string;

  beforeAll(async () => {
    vigil = await startVigil();
    nurse = await signInAs(vigil, { username: 'nurse-eight', role: 'nurse', wards: ['ward-8'] });
    await signInAs(vigil, { username: 'nurse-eight-b', role: 'nurse', wards: ['ward-8'] });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-ob', name: 'Agnes Hunt', ward: 'ward-8' },
      'wear-ob',
    );
    const wearable = await connectDevice(vigil, 'wear-ob');
    await wearable.publishAsync(
      'devices/wear-ob/vitals',
      JSON.stringify({
        ts: Date.now(),
        seq: 1,
        vitals: { heartRate: 84, respRate: 19, spo2: 96, temperature: 37.2, systolicBp: 118 },
      }),
      { qos: 1 },
    );
    await wearable.endAsync();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop({ removeData: true });
  });

  it('previews, asks for the patient to be confirmed, saves, and shows when the next set is due', async () => {
    const page = await openConsolePage(browser, Number(new URL(vigil.httpUrl).port), 'nurse-eight');
    page.setDefaultTimeout(5_000);
    const tile = page.locator('article[data-patient-id="p-ob"]');
    await tile.getByText('Observations due').waitFor();
    await tile.getByRole('link', { name: 'Agnes Hunt' }).click();
    const form = page.locator('form.observation-form');
    await form.getByLabel('C: new Confusion').check();
    await form.getByLabel('supplemental oxygen').check();
    await form.getByLabel('Oxygen flow (L/min)').fill('2');
    await form.getByLabel('Oxygen device').fill('nasal cannula');
    await form.getByRole('button', { name: 'Preview NEWS2' }).click();
    await page.getByText('Would give NEWS2 5 (medium).').waitFor();
    expect(await (await vigil.fetch('/api/patients/p-ob/observations')).json()).toEqual([]);

    // Not saved until she confirms the patient, named with MRN and birth date.
    await form.getByRole('button', { name: 'Save observations' }).click();
    await page.waitForTimeout(300);
    expect(await (await vigil.fetch('/api/patients/p-ob/observations')).json()).toEqual([]);
    await form.getByLabel(/this is Agnes Hunt, no MRN/).check();
    await page.screenshot({ path: `${SCREENSHOTS}/observation.png`, fullPage: true });
    await form.getByRole('button', { name: 'Save observations' }).click();
    await page.locator('.observation-history li', { hasText: 'by nurse-eight' }).waitFor();
    const news2 = (await (await vigil.fetch('/api/patients/p-ob/news2')).json()) as News2View;
    expect(news2).toMatchObject({ total: 5, complete: true });
    expect(news2.sources.consciousness).toMatchObject({ value: 'C', recordedBy: 'nurse-eight' });

    await page.getByRole('link', { name: '← Ward' }).click();
    const due = tile.locator('.observations-due');
    await due.waitFor();
    // NEWS2 5 asks for hourly sets: due within the hour from now, not overdue.
    expect(await due.getAttribute('data-overdue')).toBe('false');
    await page.close();
  });

  it("pauses a patient's alarms with a reason, shows the countdown on every console of the ward, and resumes", async () => {
    const port = Number(new URL(vigil.httpUrl).port);
    const page = await openConsolePage(browser, port, 'nurse-eight');
    const colleague = await openConsolePage(browser, port, 'nurse-eight-b');
    page.setDefaultTimeout(5_000);
    colleague.setDefaultTimeout(5_000);
    await page
      .locator('article[data-patient-id="p-ob"]')
      .getByRole('link', { name: 'Agnes Hunt' })
      .click();
    const form = page.locator('form.pause-form');
    await form.getByLabel('Minutes').selectOption('1');
    await form.getByLabel('Reason').fill('repositioning');
    await form.getByRole('button', { name: 'Pause' }).click();
    await page.getByText(/Paused until/).waitFor();

    const banner = colleague.locator('article[data-patient-id="p-ob"] .alarm-pause');
    await banner.getByText('(repositioning)').waitFor();
    const secondsLeft = async () => {
      const [minutes, seconds] = ((await banner.locator('.pause-countdown').textContent()) ?? '')
        .split(':')
        .map(Number);
      return minutes * 60 + seconds;
    };
    const first = await secondsLeft();
    await colleague.waitForTimeout(2_500);
    const later = await secondsLeft();
    expect(first).toBeGreaterThan(55);
    expect(first).toBeLessThanOrEqual(60);
    expect(later).toBeLessThan(first);
    await colleague.screenshot({ path: `${SCREENSHOTS}/alarm-pause.png` });

    await page.getByRole('link', { name: '← Ward' }).click();
    await page
      .locator('article[data-patient-id="p-ob"]')
      .getByRole('button', { name: 'Resume alarms' })
      .click();
    await banner.waitFor({ state: 'detached' });
    const { pause } = (await (await vigil.fetch('/api/patients/p-ob/alarm-pause')).json()) as {
      pause: unknown;
    };
    expect(pause).toBeNull();
    await page.close();
    await colleague.close();
  });

  it("marks a nurse's values on the patient's charts apart from the wearable's", async () => {
    const recorded = await vigil.post(
      '/api/patients/p-ob/observations',
      { effectiveAt: new Date().toISOString(), vitals: { respRate: 19, systolicBp: 124 } },
      nurse,
    );
    expect(recorded.status).toBe(201);
    const page = await openConsolePage(browser, Number(new URL(vigil.httpUrl).port), 'nurse-eight');
    page.setDefaultTimeout(5_000);
    await page
      .locator('article[data-patient-id="p-ob"]')
      .getByRole('link', { name: 'Agnes Hunt' })
      .click();
    const respiration = page.locator('figure[data-vital="respRate"]');
    await respiration.getByText('◆ 1 recorded by a nurse').waitFor();
    expect(await respiration.getAttribute('data-manual-points')).toBe('1');
    expect(
      await page.locator('figure[data-vital="heartRate"]').getAttribute('data-manual-points'),
    ).toBe('0');
    await page.screenshot({ path: `${SCREENSHOTS}/patient-manual-points.png`, fullPage: true });
    await page.close();
  });
});
