// Proves that no request makes Vigil do unbounded work or delay an alarm: alert lists filter a
// nurse's wards before they page, the audit trail pages, the heaviest history read allowed runs
// beside the alarms (five clients reading a week of 1 Hz vitals in a loop while a patient's
// pressure falls), and a device flooding 500-sample batches is held to its sample allowance
// without delaying another patient's alert.
import type { Alert, AlertEvent } from '@vigil/contracts';
import { ALERT_STORE, TELEMETRY_STORE, type AlertStore, type TelemetryStore } from '@vigil/storage';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  nextMessage,
  openConsole,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';
import { WEEK_MS, fillWeekOfSamples } from './support/week-of-samples';

/** Sends a systolic pressure of 82 mmHg (a high alert at once) and answers ms until it is seen. */
async function alertLatency(
  device: MqttClient,
  deviceId: string,
  patientId: string,
  nurse: Socket,
): Promise<number> {
  const raised = nextEvent<Alert>(nurse, 'alert:raised', (alert) => alert.patientId === patientId);
  const sent = performance.now();
  await device.publishAsync(
    `devices/${deviceId}/vitals`,
    JSON.stringify({ ts: Date.now(), seq: 1, vitals: { systolicBp: 82 } }),
    { qos: 1 },
  );
  await raised;
  return performance.now() - sent;
}

describe('lists and pages', () => {
  let vigil: VigilHarness;

  beforeAll(async () => {
    vigil = await startVigil();
    await admitPatientWithDevice(vigil, { id: 'p-near', name: 'Near', ward: 'ward-1' }, 'w-near');
    await admitPatientWithDevice(vigil, { id: 'p-far', name: 'Far', ward: 'ward-2' }, 'w-far');
  });
  afterAll(() => vigil?.stop({ removeData: true }));

  it("gives a nurse her ward's alert when 600 newer alerts belong to another ward, and pages the rest", async () => {
    const base = Date.now() - 3_600_000;
    const event = (patientId: string, n: number): AlertEvent => {
      const at = new Date(base + n * 1_000).toISOString();
      const alert: Alert = {
        id: `a-${patientId}-${n}`,
        patientId,
        deviceId: `w-${patientId}`,
        category: 'physiological',
        rule: 'heartRate.above',
        vital: 'heartRate',
        value: 140,
        threshold: 130,
        priority: 'medium',
        state: 'active',
        raisedAt: at,
        ts: at,
        lastValue: 140,
        worstValue: 140,
        count: 1,
        updatedAt: at,
        escalationLevel: 0,
      };
      return { kind: 'raised', at, alert };
    };
    const store = vigil.app.get<AlertStore>(ALERT_STORE);
    await store.writeAlertEvents([event('p-near', 0)]);
    await store.writeAlertEvents(Array.from({ length: 600 }, (_, n) => event('p-far', n + 1)));

    const nurse = await signInAs(vigil, { username: 'nadia', role: 'nurse', wards: ['ward-1'] });
    const hers = (await (await vigil.fetch('/api/alerts', {}, nurse)).json()) as Alert[];
    expect(hers.map((alert) => alert.id)).toEqual(['a-p-near-0']);

    const first = await vigil.fetch('/api/alerts');
    const firstPage = (await first.json()) as Alert[];
    expect(firstPage).toHaveLength(500);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toMatch(/^\/api\/alerts\?after=/);
    const secondPage = (await (await vigil.fetch(next as string)).json()) as Alert[];
    expect(secondPage).toHaveLength(101);
    const ids = new Set([...firstPage, ...secondPage].map((alert) => alert.id));
    expect(ids.size).toBe(601);
  });

  it('pages the audit trail, oldest first', async () => {
    const first = await vigil.fetch('/api/audit?limit=3');
    const page = (await first.json()) as { id: number }[];
    expect(page).toHaveLength(3);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBe(`/api/audit?limit=3&after=${page[2].id}`);
    const following = (await (await vigil.fetch(next as string)).json()) as { id: number }[];
    expect(following[0].id).toBeGreaterThan(page[2].id);
  });
});

describe('heavy history reads beside the alarms', () => {
  let vigil: VigilHarness;
  let nurse: Socket;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    vigil = await startVigil();
    await admitPatientWithDevice(vigil, { id: 'p-week', name: 'Week', ward: 'ward-1' }, 'w-week');
    fillWeekOfSamples(vigil.dataDir, 'p-week', 'w-week');
    nurse = await connectConsole(vigil, openConsole(vigil));
  }, 60_000);

  afterAll(async () => {
    nurse?.close();
    await Promise.all(devices.map((device) => device.endAsync()));
    await vigil?.stop({ removeData: true });
  });

  it('raises alerts within a second while five clients read a week of vitals in a loop', async () => {
    const heaviest = `/api/patients/p-week/vitals?from=${Date.now() - WEEK_MS + 1}&to=${Date.now()}&every=61s`;
    const one = await vigil.fetch(heaviest);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { points: unknown[] }).points.length).toBeGreaterThan(9_000);

    let reading = true;
    const outcomes: number[] = [];
    const readers = Array.from({ length: 5 }, async () => {
      while (reading) outcomes.push((await vigil.fetch(heaviest)).status);
    });
    const latencies: number[] = [];
    for (let n = 1; n <= 3; n += 1) {
      const [patientId, deviceId] = [`p-acute${n}`, `w-acute${n}`];
      await admitPatientWithDevice(
        vigil,
        { id: patientId, name: `Acute ${n}`, ward: 'ward-1' },
        deviceId,
      );
      const device = await connectDevice(vigil, deviceId);
      devices.push(device);
      latencies.push(await alertLatency(device, deviceId, patientId, nurse));
    }
    reading = false;
    await Promise.all(readers);
    // Reads were served (200) or told to come back (503 STORE.BUSY); none failed otherwise.
    expect(outcomes.filter((status) => status === 200).length).toBeGreaterThan(0);
    expect(outcomes.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  }, 60_000);
});

describe('a device flooding samples', () => {
  let vigil: VigilHarness;
  let nurse: Socket;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    vigil = await startVigil({ MQTT_MAX_MESSAGES_PER_SECOND: '1000' });
    nurse = await connectConsole(vigil, openConsole(vigil));
  });
  afterAll(async () => {
    nurse?.close();
    await Promise.all(devices.map((device) => device.endAsync()));
    await vigil?.stop({ removeData: true });
  });

  it('holds a device to its sample allowance and does not delay another patient', async () => {
    await admitPatientWithDevice(
      vigil,
      { id: 'p-flood', name: 'Flood', ward: 'ward-1' },
      'w-flood',
    );
    await admitPatientWithDevice(vigil, { id: 'p-calm', name: 'Calm', ward: 'ward-1' }, 'w-calm');
    const flood = await connectDevice(vigil, 'w-flood');
    const calm = await connectDevice(vigil, 'w-calm');
    devices.push(flood, calm);
    await flood.subscribeAsync('devices/w-flood/errors', { qos: 1 });
    const refused = nextMessage(flood, 'devices/w-flood/errors');
    const started = Date.now();
    let ts = started - 3_600_000;
    const batch = () =>
      JSON.stringify({
        samples: Array.from({ length: 500 }, (_, i) => ({
          ts: (ts += 10),
          seq: i,
          vitals: { heartRate: 72 },
        })),
      });
    let flooding = true;
    const flooder = (async () => {
      for (let sent = 0; flooding && sent < 400; sent += 1)
        await flood.publishAsync('devices/w-flood/vitals', batch(), { qos: 1 });
    })();
    const latency = await alertLatency(calm, 'w-calm', 'p-calm', nurse);
    flooding = false;
    await flooder;
    expect(await refused).toMatchObject({ code: 'DEVICE.RATE_LIMITED' });
    expect(latency).toBeLessThan(1_000);
    const stored = await vigil.app
      .get<TelemetryStore>(TELEMETRY_STORE)
      .querySamples({ patientId: 'p-flood', from: 0, to: Date.now() });
    const seconds = (Date.now() - started) / 1000;
    // The allowance: a burst of one whole batch, then 50 samples a second.
    expect(stored.length).toBeLessThanOrEqual(500 + Math.ceil(seconds * 50));
  }, 30_000);
});
