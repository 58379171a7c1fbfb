// Proves the trend watch end to end, with the default settings and in device time: the
// simulator's sepsis patient, after three stable hours, streamed through Vigil over MQTT as a
// wearable uploads what it held (its samples dated over the last six hours), raises
// `trend.deterioration` before any threshold or NEWS2 alert, with an explanation a nurse can read,
// on a real Socket.IO console, in `GET /api/patients/:id/trends` and in Chromium; two stable
// patients streamed alike raise none. Per-patient settings are audited and bad ones refused.
import { TREND_RULE, type Alert, type PatientTrendView } from '@vigil/contracts';
import type { StoredAuditEntry } from '@vigil/storage';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import {
  admitSimulatedPatient,
  frameAt,
  type SimulatedPatient,
} from '../device-simulator/src/patient-scenarios';
import { SeededRandom } from '../device-simulator/src/random';
import { SCREENSHOTS, launchChromium, openConsolePage } from './support/console-browser';
import {
  connectConsole,
  connectDevice,
  nextEvent,
  recordEvents,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const HOUR = 3_600_000;
const STABLE_HOURS = 3;
const SEPSIS_HOURS = 3;
const SAMPLE_EVERY_MS = 15_000;
const BATCH = 100;

/**
 * The first seeded sepsis patient who starts far from every fixed threshold (low temperature,
 * heart and respiratory rates, a high systolic pressure): the trend watch is for exactly her. A
 * patient admitted at 37.2 °C or 112 mmHg crosses a fixed alarm early in the simulator's fast
 * three-hour story, whatever a trend watch does (docs/trends.md has the lead times over many).
 */
function septicPatient(): { patient: SimulatedPatient; random: SeededRandom } {
  for (let seed = 1; ; seed += 1) {
    const random = new SeededRandom(seed);
    const patient = admitSimulatedPatient('sepsis', random);
    const { temperature, heartRate, respRate, systolicBp } = patient.baseline;
    if (temperature <= 36.6 && heartRate <= 70 && respRate <= 13 && systolicBp >= 128)
      return { patient, random };
  }
}

/** The wearable's samples, one per 15 s, ending now: stable hours, then the scenario's own. */
function samplesOf(patient: SimulatedPatient, random: SeededRandom, end: number) {
  const stable = { ...patient, scenario: 'stable' as const };
  const start = end - (STABLE_HOURS + SEPSIS_HOURS) * HOUR;
  const samples = [];
  for (let ts = start, seq = 1; ts <= end; ts += SAMPLE_EVERY_MS, seq += 1) {
    const t = (ts - start) / 1000;
    const inStory = t >= STABLE_HOURS * 3600;
    const frame = inStory
      ? frameAt(patient, t - STABLE_HOURS * 3600, random)
      : frameAt(stable, t, random);
    samples.push({
      ts,
      seq,
      vitals: { ...frame.vitals, consciousness: frame.consciousness, onOxygen: frame.onOxygen },
    });
  }
  return samples;
}

describe('the trend watch, end to end', () => {
  let vigil: VigilHarness;
  let browser: Browser;
  let nurse: Socket;
  const end = Date.now();
  const septic = septicPatient();
  const patients = [
    { id: 'p-trend-sepsis', name: 'Iris Vale', device: 'wear-tr-1', ...septic },
    {
      id: 'p-trend-stable-a',
      name: 'Mabel Frost',
      device: 'wear-tr-2',
      ...(() => {
        const random = new SeededRandom(9001);
        return { patient: admitSimulatedPatient('stable', random), random };
      })(),
    },
    {
      id: 'p-trend-stable-b',
      name: 'Edith Lowe',
      device: 'wear-tr-3',
      ...(() => {
        const random = new SeededRandom(9002);
        return { patient: admitSimulatedPatient('stable', random), random };
      })(),
    },
  ];

  beforeAll(async () => {
    // A wearable uploading six hours at once: the per-device allowance is raised for this test only.
    vigil = await startVigil({ MQTT_MAX_SAMPLES_PER_SECOND: '2000' });
    await signInAs(vigil, { username: 'nurse-trend', role: 'nurse', wards: ['ward-3'] });
    for (const each of patients) {
      expect(
        (await vigil.post('/api/patients', { id: each.id, name: each.name, ward: 'ward-3' }))
          .status,
      ).toBe(201);
      const bound = await vigil.post('/api/devices', {
        id: each.device,
        patientId: each.id,
        since: new Date(end - 7 * HOUR).toISOString(),
      });
      expect(bound.status).toBe(201);
      vigil.secrets.set(each.device, (bound.body as { secret: string }).secret);
    }
    nurse = await connectConsole(vigil);
  });

  afterAll(async () => {
    nurse?.disconnect();
    await browser?.close();
    await vigil?.stop({ removeData: true });
  });

  it("keeps a patient's own settings audited, and refuses incoherent ones with a code", async () => {
    const put = (id: string, body: unknown, token?: string) =>
      vigil.fetch(
        `/api/patients/${id}/trend-parameters`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
        token,
      );
    const stableB = 'p-trend-stable-b';
    const accepted = await put(stableB, {
      parameters: { level: 7, sustainSeconds: 1800 },
      reason: 'anxious on the ward round: fewer trend alerts agreed with the registrar',
    });
    expect(accepted.status).toBe(200);
    const effective = (await (
      await vigil.fetch(`/api/patients/${stableB}/trend-parameters`)
    ).json()) as {
      effective: { level: number; sustainSeconds: number; windowSeconds: number };
    };
    expect(effective.effective).toMatchObject({
      level: 7,
      sustainSeconds: 1800,
      windowSeconds: 86_400,
    });
    const trail = (await (
      await vigil.fetch(`/api/patients/${stableB}/audit`)
    ).json()) as StoredAuditEntry[];
    expect(trail).toContainEqual(
      expect.objectContaining({
        action: expect.stringMatching(/^patient\.trend-parameters: anxious on the ward round/),
        actor: 'admin',
        newValue: { level: 7, sustainSeconds: 1800 },
      }),
    );

    const tooFine = await put(stableB, { parameters: { bucketSeconds: 5 }, reason: 'test' });
    expect(tooFine.status).toBe(400);
    expect(await tooFine.json()).toMatchObject({ code: 'TREND.PARAMETERS_INVALID' });
    expect((await put(stableB, { parameters: { level: 6 } })).status).toBe(400);
    expect((await put(stableB, { parameters: { level: 99 }, reason: 'x' })).status).toBe(400);
    const nurseToken = await signInAs(vigil, {
      username: 'nurse-trend-2',
      role: 'nurse',
      wards: ['ward-3'],
    });
    expect((await put(stableB, { parameters: { level: 5 }, reason: 'x' }, nurseToken)).status).toBe(
      403,
    );
  });

  const trendNow = async (patientId: string) =>
    (
      (await (await vigil.fetch(`/api/alerts?patientId=${patientId}&limit=100`)).json()) as Alert[]
    ).find((alert) => alert.rule === TREND_RULE);

  it('raises the trend alert on the septic patient before any other alert of hers, and none on the stable', async () => {
    const raised = recordEvents<Alert>(nurse, 'alert:raised');
    const trendRaised = nextEvent<Alert>(
      nurse,
      'alert:raised',
      (alert) => alert.patientId === 'p-trend-sepsis' && alert.rule === TREND_RULE,
      60_000,
    );
    await Promise.all(
      patients.map(async (each) => {
        const wearable = await connectDevice(vigil, each.device);
        const samples = samplesOf(each.patient, each.random, end);
        for (let i = 0; i < samples.length; i += BATCH)
          await wearable.publishAsync(
            `devices/${each.device}/vitals`,
            JSON.stringify({ samples: samples.slice(i, i + BATCH) }),
            { qos: 1 },
          );
        await wearable.endAsync();
      }),
    );
    const trend = await trendRaised;
    raised.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(trend).toMatchObject({ priority: 'low', category: 'physiological', vital: null });
    // She went on worsening: the same alert, now medium.
    expect(await trendNow('p-trend-sepsis')).toMatchObject({ priority: 'medium', id: trend.id });
    expect(trend.message).toMatch(
      /^Deteriorating against her own baseline: .*heart rate \d+\/min \(her usual \d+, \+\d+\) for \d+ min/,
    );
    const onset = end - SEPSIS_HOURS * HOUR;
    const trendAt = Date.parse(trend.ts);
    expect(trendAt).toBeGreaterThan(onset);
    const hers = (await (
      await vigil.fetch('/api/alerts?patientId=p-trend-sepsis&limit=100')
    ).json()) as Alert[];
    const others = hers.filter((alert) => alert.rule !== TREND_RULE);
    // Her first threshold or NEWS2 alert, if any came in the story, came later in her own time.
    expect(others.length).toBeGreaterThan(0);
    for (const alert of others) expect(Date.parse(alert.ts)).toBeGreaterThan(trendAt);

    for (const stable of ['p-trend-stable-a', 'p-trend-stable-b']) {
      const theirs = (await (
        await vigil.fetch(`/api/alerts?patientId=${stable}&limit=100`)
      ).json()) as Alert[];
      expect(theirs).toEqual([]);
    }
    expect(raised.events.filter((alert) => alert.patientId !== 'p-trend-sepsis')).toEqual([]);

    const view = (await (
      await vigil.fetch('/api/patients/p-trend-sepsis/trends')
    ).json()) as PatientTrendView;
    expect(view).toMatchObject({ status: 'raised', level: 5 });
    expect(view.vitals.map((part) => part.vital).sort()).toEqual([
      'heartRate',
      'respRate',
      'spo2',
      'systolicBp',
      'temperature',
    ]);
    const heart = view.vitals.find((part) => part.vital === 'heartRate');
    expect(heart?.baseline).toBeCloseTo(septic.patient.baseline.heartRate, -0.5);
    expect(heart?.deviation).toBeGreaterThan(0);
    const stableView = (await (
      await vigil.fetch('/api/patients/p-trend-stable-a/trends')
    ).json()) as PatientTrendView;
    expect(stableView).toMatchObject({ status: 'watching' });
  }, 120_000);

  it('shows the trend marker on the tile and her baseline band on her charts, in Chromium', async () => {
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const page = await openConsolePage(browser, Number(new URL(vigil.httpUrl).port), 'nurse-trend');
    page.setDefaultTimeout(5_000);
    const tile = page.locator('article[data-patient-id="p-trend-sepsis"]');
    await tile.locator('.trend-marker').waitFor();
    expect(await tile.locator('.trend-marker').getAttribute('title')).toMatch(/her usual/);
    expect(
      await page.locator('article[data-patient-id="p-trend-stable-a"] .trend-marker').count(),
    ).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/trend-ward.png` });

    await tile.getByRole('link', { name: 'Iris Vale' }).click();
    await page.getByRole('button', { name: '6 h' }).click();
    await page.locator('.trend-explanation').waitFor();
    expect(await page.locator('.trend-status').getAttribute('data-status')).toBe('raised');
    const band = await page
      .locator('figure[data-vital="heartRate"]')
      .getAttribute('data-baseline-band');
    expect(band).toMatch(/^\d+(\.\d)?–\d+(\.\d)?$/);
    expect(
      await page.locator('figure[data-vital="diastolicBp"]').getAttribute('data-baseline-band'),
    ).toBeNull();
    // What the trend watch sees and the charts with her band, not the page's long alert history.
    const top = (await page.locator('.trend-watch').boundingBox())?.y ?? 0;
    const charts = await page.locator('.charts').boundingBox();
    await page.screenshot({
      path: `${SCREENSHOTS}/trend-patient.png`,
      fullPage: true,
      clip: {
        x: 0,
        y: top - 8,
        width: 1280,
        height: (charts?.y ?? 0) + (charts?.height ?? 0) - top + 16,
      },
    });
    await page.close();
  });
});
