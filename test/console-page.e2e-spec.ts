// Proves the care console in a real Chromium: a nurse signs in (and sees only her ward), a breach
// streamed over MQTT appears within 2 s with its sound and announcement, one click acknowledges it on every open console, a dropped
// connection shows a banner and the alert missed meanwhile, and the patient view charts history.
import type { MqttClient } from 'mqtt';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { admitSimulatedPatient, vitalsAt } from '../device-simulator/src/patient-scenarios';
import { SeededRandom } from '../device-simulator/src/random';
import {
  SCREENSHOTS,
  launchChromium,
  openConsolePage as openPage,
  signInOnPage,
} from './support/console-browser';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';
import {
  admitPatientWithDevice,
  connectDevice,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('the care console in Chromium', () => {
  let vigil: VigilHarness;
  let browser: Browser;
  let proxy: TcpProxy;
  const wearables = new Map<string, MqttClient>();
  let seq = 0;

  async function admit(
    id: string,
    name: string,
    scenario: 'stable' | 'hypoxia',
    seed: number,
  ): Promise<void> {
    await admitPatientWithDevice(vigil, { id, name, ward: 'ward-5' }, `wear-${id}`);
    const wearable = await connectDevice(vigil, `wear-${id}`);
    wearables.set(id, wearable);
    // Twenty simulated minutes, one sample every 20 s, ending now: history for the charts.
    const random = new SeededRandom(seed);
    const patient = admitSimulatedPatient(scenario, random);
    const end = Date.now() - 2_000;
    const samples = Array.from({ length: 60 }, (_, i) => ({
      ts: end - (59 - i) * 20_000,
      seq: ++seq,
      vitals: {
        ...vitalsAt(patient, i * 0.5, random),
        consciousness: 'A',
        onOxygen: false,
        battery: 80 - i / 10,
      },
    }));
    await wearable.publishAsync(`devices/wear-${id}/vitals`, JSON.stringify({ samples }), {
      qos: 1,
    });
  }

  /** A breach held past its sustain time: two samples 16 s apart in device time, the last one now. */
  async function breach(id: string, vitals: Record<string, number>): Promise<number> {
    const sent = Date.now();
    const samples = [
      { ts: sent - 16_000, seq: ++seq, vitals },
      { ts: sent, seq: ++seq, vitals },
    ];
    await wearables
      .get(id)
      ?.publishAsync(`devices/wear-${id}/vitals`, JSON.stringify({ samples }), { qos: 1 });
    return sent;
  }

  const openConsolePage = (port: number, username = 'nurse-ana'): Promise<Page> =>
    openPage(browser, port, username);

  beforeAll(async () => {
    vigil = await startVigil();
    await admit('p-c1', 'Rosalind Franklin', 'stable', 1);
    await admit('p-c2', 'Alan Turing', 'stable', 2);
    await admit('p-c3', 'Ada Lovelace', 'hypoxia', 3);
    await admit('p-c4', 'Grace Hopper', 'stable', 4);
    await signInAs(vigil, { username: 'nurse-ana', role: 'nurse', wards: ['ward-5'] });
    await signInAs(vigil, { username: 'nurse-cy', role: 'nurse', wards: ['ward-3'] });
    proxy = await startTcpProxy(Number(new URL(vigil.httpUrl).port));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await Promise.all([...wearables.values()].map((wearable) => wearable.endAsync()));
    await vigil?.stop({ removeData: true });
  });

  it('asks for a sign-in, refuses a wrong password, keeps the token out of storage and URLs, resumes after a reload, and signs out', async () => {
    const port = Number(new URL(vigil.httpUrl).port);
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await signInOnPage(page, 'nurse-ana', 'not-her-password');
    await page.getByRole('alert').filter({ hasText: 'User name or password is wrong.' }).waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);

    await signInOnPage(page, 'nurse-ana', 'nurse-ana-password-for-tests');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(false);
    await page.getByText('nurse-ana · nurse · ward-5').waitFor();
    await page.getByRole('link', { name: 'Rosalind Franklin' }).waitFor();
    const stored = await page.evaluate(
      'JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie])',
    );
    expect(stored).toBe('[{},{},""]');

    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.getByRole('link', { name: 'Rosalind Franklin' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(requested.filter((url) => /token|eyJ/.test(url))).toEqual([]);
    await page.close();
  });

  it('shows a breach within 2 s, sounds and announces it, and one click acknowledges it on every console', async () => {
    const port = Number(new URL(vigil.httpUrl).port);
    const [first, second] = [await openConsolePage(port), await openConsolePage(port)];
    const tile = first.locator('article[data-patient-id="p-c1"]');
    await tile.getByRole('link', { name: 'Rosalind Franklin' }).waitFor();

    const sent = await breach('p-c1', { heartRate: 38 });
    const alert = first.locator('#alerts li[data-priority="high"]', {
      hasText: 'Rosalind Franklin: Heart rate 38',
    });
    await alert.waitFor({ timeout: 2_000 });
    expect(Date.now() - sent).toBeLessThan(2_000);
    expect(await first.evaluate('document.body.dataset.alarmsPlayed')).toMatch(/high/);
    expect(await first.locator('#announcer').textContent()).toMatch(
      /high priority alert: Rosalind Franklin, Heart rate 38/,
    );
    expect(await tile.getAttribute('data-alert')).toBe('high');
    // Sickest first: the patient with a high alert comes before those with none.
    const order = await first
      .locator('article')
      .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-patient-id')));
    expect(order.indexOf('p-c1')).toBeLessThan(order.indexOf('p-c2'));
    expect(order.indexOf('p-c1')).toBeLessThan(order.indexOf('p-c4'));
    await tile
      .locator('dd[data-vital="heartRate"]', { hasText: '38 /min' })
      .waitFor({ timeout: 1_000 });

    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await second
      .locator('#alerts li', { hasText: 'Rosalind Franklin: Heart rate 38' })
      .filter({ hasText: 'acknowledged by nurse-ana' })
      .waitFor({ timeout: 2_000 });
    await first.close();
    await second.close();
  });

  it('acknowledges from the keyboard alone', async () => {
    const page = await openConsolePage(Number(new URL(vigil.httpUrl).port));
    await breach('p-c2', { systolicBp: 86 });
    const alert = page.locator('#alerts li', {
      hasText: 'Alan Turing: Systolic blood pressure 86 mmHg (below 91)',
    });
    await alert.waitFor({ timeout: 2_000 });
    const button = alert.getByRole('button', { name: 'Acknowledge' });
    for (
      let i = 0;
      i < 40 && !(await button.evaluate((el) => el === el.ownerDocument.activeElement));
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await alert.filter({ hasText: 'acknowledged by nurse-ana' }).waitFor({ timeout: 2_000 });
    await page.close();
  });

  it('shows a banner when the connection drops, reconnects, and then shows the alert it missed', async () => {
    // Reconnection retries every 0.5 to 3 s; 15 s leaves room for a loaded machine.
    const page = await openConsolePage(proxy.port);
    await proxy.cut();
    await page.getByText('Connection to Vigil lost').waitFor({ timeout: 5_000 });
    await breach('p-c4', { respRate: 30 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await page.locator('#alerts li', { hasText: 'Grace Hopper' }).count()).toBe(0);
    await proxy.restore();
    await page
      .locator('#alerts li', { hasText: 'Grace Hopper: Respiratory rate 30' })
      .waitFor({ timeout: 15_000 });
    expect(await page.getByText('Connection to Vigil lost').isVisible()).toBe(false);
    await page.close();
  });

  it('opens a patient with history charts, thresholds, alert history and overrides, and takes the documentation screenshots', async () => {
    const page = await openConsolePage(Number(new URL(vigil.httpUrl).port));
    page.setDefaultTimeout(5_000);
    await breach('p-c3', { spo2: 86, heartRate: 118 });
    await page
      .locator('#alerts li', { hasText: 'Ada Lovelace' })
      .first()
      .waitFor({ timeout: 2_000 });
    // A locator, not a string predicate: the console's Content-Security-Policy forbids eval.
    const trends = page.locator('article[data-patient-id="p-c3"] .trend polyline');
    await trends.nth(5).waitFor({ state: 'attached' });
    expect(await trends.count()).toBe(6);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Signed in: the ward on screen, the sign-in form gone.
    expect(await page.locator('#app').isVisible()).toBe(true);
    expect(await page.locator('#sign-in').isVisible()).toBe(false);
    await page.screenshot({ path: `${SCREENSHOTS}/ward.png` });

    await page.getByRole('link', { name: 'Rosalind Franklin' }).click();
    await page.locator('figure[data-vital="heartRate"] canvas').waitFor();
    expect(await page.locator('figure.chart').count()).toBe(6);
    expect(await page.locator('figure[data-vital="heartRate"]').getAttribute('aria-label')).toMatch(
      /thresholds below 41, above 130/,
    );
    await page
      .locator('.alert-history li', { hasText: 'acknowledged' })
      .filter({ hasText: 'by nurse-ana' })
      .waitFor();
    await page.getByText('None: the default adult thresholds apply.').waitFor();
    await page.getByRole('button', { name: '6 h' }).click();
    await page.getByRole('button', { name: '6 h', pressed: true }).waitFor();
    expect(await page.locator('#app').isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/patient.png`, fullPage: true });
    await page.close();
  });

  it('shows a nurse only her own ward', async () => {
    const page = await openConsolePage(Number(new URL(vigil.httpUrl).port), 'nurse-cy');
    const open = (await (await vigil.fetch('/api/alerts?state=open')).json()) as unknown[];
    expect(open.length).toBeGreaterThan(0);
    await page.getByText('No patients admitted.').waitFor();
    expect(await page.locator('article').count()).toBe(0);
    expect(await page.locator('#alerts li').count()).toBe(0);
    await page.close();
  });
});
