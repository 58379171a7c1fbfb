// Proves the console's stay and wearable flows in a real Chromium: a charge nurse admits a
// patient (MRN and birth date on her tile), binds and unbinds a wearable and reads its history,
// transfers a patient, whom the old ward's nurse sees leave and the new ward's nurse sees arrive
// with her open alert without reloading, and discharges one, whose alert clears everywhere.
import type { Alert } from '@vigil/contracts';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { SCREENSHOTS, launchChromium, openConsolePage } from './support/console-browser';
import {
  admitPatientWithDevice,
  connectDevice,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('the console: admission, transfer, discharge and wearables, in Chromium', () => {
  let vigil: VigilHarness;
  let browser: Browser;
  let port: number;
  let seq = 0;
  const pages: Page[] = [];

  const open = async (username: string) => {
    const page = await openConsolePage(browser, port, username);
    page.setDefaultTimeout(5_000);
    pages.push(page);
    return page;
  };
  const tile = (page: Page, patientId: string) =>
    page.locator(`article[data-patient-id="${patientId}"]`);

  beforeAll(async () => {
    vigil = await startVigil({ ESCALATE_AFTER_SECONDS: '600' });
    port = Number(new URL(vigil.httpUrl).port);
    for (const [username, role, ward] of [
      ['nurse-six', 'nurse', 'ward-6'],
      ['nurse-seven', 'nurse', 'ward-7'],
      ['charge-six', 'charge-nurse', 'ward-6'],
    ] as const)
      await signInAs(vigil, { username, role, wards: [ward] });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop({ removeData: true });
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  it('admits a patient from the console, with her MRN and birth date on her tile', async () => {
    const charge = await open('charge-six');
    const nurse = await open('nurse-six');
    await charge.getByText('Admit a patient').click();
    const form = charge.locator('form.admit-form');
    await form.getByLabel('Patient id').fill('p-new');
    await form.getByLabel('Name').fill('Edith Cavell');
    await form.getByLabel('MRN').fill('MRN-7734');
    await form.getByLabel('Date of birth').fill('1965-12-04');
    await form.getByLabel('Bed').fill('3');
    await charge.screenshot({ path: `${SCREENSHOTS}/admit.png` });
    await form.getByRole('button', { name: 'Admit' }).click();
    await tile(charge, 'p-new').waitFor();
    // Her ward's nurse sees her arrive without reloading.
    await tile(nurse, 'p-new').getByText('MRN MRN-7734 · born 1965-12-04').waitFor();
    expect(await tile(nurse, 'p-new').locator('.meta').textContent()).toMatch(/^ward-6 bed 3/);
    // A nurse has no admission form; the server would refuse her anyway.
    expect(await nurse.getByText('Admit a patient').count()).toBe(0);
  });

  it("binds a wearable to a patient, shows the device's history, and unbinds it", async () => {
    await vigil.post('/api/patients', { id: 'p-bind', name: 'Mary Seacole', ward: 'ward-6' });
    const registered = await vigil.post('/api/devices', { id: 'wear-loan' });
    expect(registered.status).toBe(201);
    const charge = await open('charge-six');
    await tile(charge, 'p-bind').getByRole('link', { name: 'Mary Seacole' }).click();
    await charge.getByText('No wearable on her.').waitFor();
    await charge.locator('form.bind-form').getByLabel('Wearable').selectOption('wear-loan');
    await charge.locator('form.bind-form').getByRole('button', { name: 'Bind' }).click();
    const device = charge.locator('li[data-device-id="wear-loan"]');
    await device.locator('.device-history li', { hasText: 'p-bind' }).waitFor();
    expect(await device.locator('.device-history li').first().textContent()).toMatch(/– now$/);
    await charge.screenshot({ path: `${SCREENSHOTS}/wearables.png`, fullPage: true });
    await device.getByRole('button', { name: 'Unbind wear-loan' }).click();
    await charge.getByText('No wearable on her.').waitFor();
    const listed = (await (await vigil.fetch('/api/devices')).json()) as {
      id: string;
      state: string;
    }[];
    expect(listed.find((d) => d.id === 'wear-loan')?.state).toBe('available');
  });

  it("moves a transferred patient and her open alert from the old ward's screen to the new ward's", async () => {
    await admitPatientWithDevice(
      vigil,
      { id: 'p-go', name: 'Clara Barton', ward: 'ward-6' },
      'wear-go',
    );
    const wearable = await connectDevice(vigil, 'wear-go');
    const oldWard = await open('nurse-six');
    const newWard = await open('nurse-seven');
    const charge = await open('charge-six');
    const now = Date.now();
    await wearable.publishAsync(
      'devices/wear-go/vitals',
      JSON.stringify({
        samples: [now - 16_000, now].map((ts) => ({ ts, seq: ++seq, vitals: { systolicBp: 84 } })),
      }),
      { qos: 1 },
    );
    await oldWard.locator('#alerts li', { hasText: 'Clara Barton' }).first().waitFor();
    expect(await newWard.locator('#alerts li').count()).toBe(0);

    await tile(charge, 'p-go').getByRole('link', { name: 'Clara Barton' }).click();
    const transfer = charge.locator('form.transfer-form');
    await transfer.getByLabel('To ward').fill('ward-7');
    await transfer.getByLabel('Bed').fill('12');
    await charge.screenshot({ path: `${SCREENSHOTS}/transfer.png`, fullPage: true });
    await transfer.getByRole('button', { name: 'Transfer' }).click();

    await tile(oldWard, 'p-go').waitFor({ state: 'detached' });
    await oldWard
      .locator('#alerts li', { hasText: 'Clara Barton' })
      .first()
      .waitFor({ state: 'detached' });
    await tile(newWard, 'p-go').waitFor();
    await newWard.locator('#alerts li', { hasText: 'Clara Barton' }).first().waitFor();
    expect(await tile(newWard, 'p-go').locator('.meta').textContent()).toMatch(/^ward-7 bed 12/);
    // The charge nurse of ward 6 is taken back to her ward: the patient is no longer hers.
    await charge.getByText('she is no longer on your wards').waitFor();
    await wearable.endAsync();
  });

  it('discharges a patient from the console: her tile and her alert go from every screen', async () => {
    await admitPatientWithDevice(
      vigil,
      { id: 'p-home', name: 'Dorothea Dix', ward: 'ward-6' },
      'wear-home',
    );
    const wearable = await connectDevice(vigil, 'wear-home');
    const now = Date.now();
    await wearable.publishAsync(
      'devices/wear-home/vitals',
      JSON.stringify({
        samples: [now - 16_000, now].map((ts) => ({ ts, seq: ++seq, vitals: { systolicBp: 84 } })),
      }),
      { qos: 1 },
    );
    const nurse = await open('nurse-six');
    const charge = await open('charge-six');
    await nurse.locator('#alerts li', { hasText: 'Dorothea Dix' }).first().waitFor();
    await tile(charge, 'p-home').getByRole('link', { name: 'Dorothea Dix' }).click();
    const discharge = charge.locator('form.discharge-form');
    await discharge.getByLabel('Reason').fill('home with family');
    // The discharge needs its confirmation ticked.
    await discharge.getByRole('button', { name: 'Discharge' }).click();
    expect(
      await charge.locator('form.discharge-form .action-result, .action-result[data-ok]').count(),
    ).toBeGreaterThanOrEqual(0);
    await discharge.getByRole('checkbox').check();
    await discharge.getByRole('button', { name: 'Discharge' }).click();
    await tile(nurse, 'p-home').waitFor({ state: 'detached' });
    await nurse
      .locator('#alerts li', { hasText: 'Dorothea Dix' })
      .first()
      .waitFor({ state: 'detached' });
    const alerts = (await (await vigil.fetch('/api/alerts?patientId=p-home')).json()) as Alert[];
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts)
      expect([alert.state, alert.resolvedReason]).toEqual(['resolved', 'discharged']);
    await wearable.endAsync();
  });
});
