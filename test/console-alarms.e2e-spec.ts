// Proves the ward's alarm controls in a real Chromium: a nurse puts a patient on standby from her
// view and the tile says so until she is back; wearables lost together show as one ward alarm in
// the alert panel; and a charge nurse reads the ward's alarm load on its own page.
import { mkdirSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import { SCREENSHOTS, launchChromium, openConsolePage } from './support/console-browser';
import {
  admitPatientWithDevice,
  connectDevice,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('standby, the ward alarm and the alarm-load page, in Chromium', () => {
  let vigil: VigilHarness;
  let browser: Browser;
  const wearables = new Map<string, MqttClient>();
  let seq = 0;

  beforeAll(async () => {
    vigil = await startVigil({
      LOST_DEVICE_GROUPING_SECONDS: '1',
      WARD_OUTAGE_PATIENTS: '2',
      ESCALATE_AFTER_SECONDS: '600',
    });
    await signInAs(vigil, { username: 'charge-seven', role: 'charge-nurse', wards: ['ward-7'] });
    for (const [id, name, bed] of [
      ['p-ct', 'Cora Scan', '3'],
      ['p-ap1', 'Abel Point', '4'],
      ['p-ap2', 'Ada Point', '5'],
    ]) {
      await admitPatientWithDevice(vigil, { id, name, ward: 'ward-7' }, `wear-${id}`);
      await vigil.post(`/api/patients/${id}/transfer`, { ward: 'ward-7', bed });
      const wearable = await connectDevice(vigil, `wear-${id}`);
      await wearable.publishAsync(
        `devices/wear-${id}/vitals`,
        JSON.stringify({ ts: Date.now(), seq: ++seq, vitals: { heartRate: 72, spo2: 97 } }),
        { qos: 1 },
      );
      wearables.set(id, wearable);
    }
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...wearables.values()].map((wearable) => wearable.endAsync(true)));
    await vigil?.stop({ removeData: true });
  });

  it('puts a patient on standby from her view, shows it on her tile, and takes her back', async () => {
    const page = await openConsolePage(
      browser,
      Number(new URL(vigil.httpUrl).port),
      'charge-seven',
    );
    page.setDefaultTimeout(5_000);
    const tile = page.locator('article[data-patient-id="p-ct"]');
    await tile.getByRole('link', { name: 'Cora Scan' }).click();
    const form = page.locator('form.standby-form');
    await form.getByLabel('For').selectOption('1');
    await form.getByLabel('Where').fill('CT scan');
    await form.getByRole('button', { name: 'Standby' }).click();
    await page.getByText(/On standby until/).waitFor();
    await page.getByRole('link', { name: '← Ward' }).click();
    const banner = tile.locator('.standby');
    await banner.getByText(/Standby until .* \(CT scan\): no device alarms/).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/standby.png`, fullPage: true });
    // Her wearable taken off in the scanner: no alarm while she is away.
    await wearables.get('p-ct')?.endAsync(true);
    wearables.delete('p-ct');
    await page.waitForTimeout(2_000);
    expect(await page.locator('#alerts li', { hasText: 'Cora Scan' }).count()).toBe(0);
    await banner.getByRole('button', { name: 'Back on ward' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.locator('#alerts li', { hasText: 'Cora Scan' }).first().waitFor();
    await page.close();
  });

  it('shows wearables lost together as one ward alarm, folding in the one already lost', async () => {
    const page = await openConsolePage(
      browser,
      Number(new URL(vigil.httpUrl).port),
      'charge-seven',
    );
    page.setDefaultTimeout(8_000);
    for (const id of ['p-ap1', 'p-ap2']) wearables.get(id)?.stream.destroy();
    const wardAlarm = page.locator('#alerts li', { hasText: 'Ward ward-7' });
    // Cora's wearable, still off since her scan, makes three.
    await wardAlarm.getByText(/Connection lost to the devices of 3 patients/).waitFor();
    // Cora's was lost before this page opened: her tile says so from the first load.
    await page.locator('article[data-patient-id="p-ct"]').getByText('device offline').waitFor();
    await page.locator('#alerts li', { hasText: 'Cora Scan' }).waitFor({ state: 'detached' });
    expect(
      await page.locator('#alerts li', { hasText: /Abel Point|Ada Point|Cora Scan/ }).count(),
    ).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/ward-alarm.png`, fullPage: true });
    await page.close();
  });

  it("reads the ward's alarm load on its own page", async () => {
    const page = await openConsolePage(
      browser,
      Number(new URL(vigil.httpUrl).port),
      'charge-seven',
    );
    page.setDefaultTimeout(5_000);
    await page.getByRole('link', { name: 'Alarm load' }).click();
    const view = page.locator('#report-view');
    await view.getByRole('heading', { name: 'Alarm load' }).waitFor();
    const byRule = view.locator('table', { hasText: 'By rule' });
    await byRule.getByRole('cell', { name: 'ward.connection-lost' }).waitFor();
    await byRule.getByRole('cell', { name: 'device.offline' }).waitFor();
    await view.locator('table', { hasText: 'By patient' }).getByText('the ward itself').waitFor();
    await view.getByText('Standbys').waitFor();
    expect(await view.locator('dd', { hasText: /^1, / }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}/alarm-load.png`, fullPage: true });
    await page.getByRole('link', { name: 'Ward', exact: true }).click();
    await page.locator('#ward-view').waitFor();
    await page.close();
  });
});
