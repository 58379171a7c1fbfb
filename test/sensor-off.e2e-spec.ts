// Proves, with a real MQTT client and console, that a probe off the skin does not alarm: while a
// wearable reports its sensor off, what it sends is stored and not evaluated, its open
// physiological alerts are marked as based on stale data, and once it reports the sensor on
// again they are unmarked and a breach must hold its full sustain time afresh.
import type { Alert } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  openConsole,
  recordEvents,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sensor off: no alarms from a probe off the skin', () => {
  let vigil: VigilHarness;
  let wearable: MqttClient;
  let ward: Socket;
  let seq = 0;

  const send = (samples: { ts: number; vitals: Record<string, number> }[]) =>
    wearable.publishAsync(
      'devices/wear-probe/vitals',
      JSON.stringify({ samples: samples.map((s) => ({ ...s, seq: ++seq })) }),
      { qos: 1 },
    );
  const sensor = (state: 'on' | 'off') =>
    wearable.publishAsync(
      'devices/wear-probe/status',
      JSON.stringify({ state: 'online', sensor: state }),
      { qos: 1 },
    );

  beforeAll(async () => {
    vigil = await startVigil({ ESCALATE_AFTER_SECONDS: '600' });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-probe', name: 'Pam Probe', ward: 'ward-1' },
      'wear-probe',
    );
    wearable = await connectDevice(vigil, 'wear-probe');
    ward = await connectConsole(vigil, openConsole(vigil));
  });

  afterAll(async () => {
    ward?.close();
    await wearable?.endAsync();
    await vigil?.stop({ removeData: true });
  });

  it("marks the device's open alert stale when its sensor comes off, and raises nothing from what it sends meanwhile", async () => {
    const raised = nextEvent<Alert>(ward, 'alert:raised', (a) => a.rule === 'heartRate.above');
    const now = Date.now();
    await send(
      [now - 60_000, now - 40_000, now - 20_000].map((ts) => ({ ts, vitals: { heartRate: 140 } })),
    );
    const tachycardia = await raised;

    const stale = nextEvent<Alert>(
      ward,
      'alert:updated',
      (a) => a.id === tachycardia.id && a.dataStale === true,
    );
    const sensorOff = nextEvent<Alert>(ward, 'alert:raised', (a) => a.rule === 'device.sensor-off');
    await sensor('off');
    await stale;
    await sensorOff;

    // Off the skin, the probe reads nonsense: twenty seconds of SpO2 70 % and heart rate 35.
    const heard = recordEvents<Alert>(ward, 'alert:raised');
    const start = Date.now() - 19_000;
    await send(
      [0, 5_000, 10_000, 15_000, 19_000].map((offset) => ({
        ts: start + offset,
        vitals: { spo2: 70, heartRate: 35 },
      })),
    );
    await sleep(1_000);
    expect(heard.events).toEqual([]);
    heard.stop();
    const metrics = await (await vigil.fetch('/metrics')).text();
    expect(metrics).toMatch(/vigil_samples_sensor_off_total 5/);
  });

  it('unmarks the alert when the sensor is back on, and makes a breach hold its sustain time afresh', async () => {
    const fresh = nextEvent<Alert>(
      ward,
      'alert:updated',
      (a) => a.rule === 'heartRate.above' && a.dataStale === undefined,
    );
    await sensor('on');
    await fresh;
    // A desaturation pending from before would fire on the first low reading; restarted, one low
    // reading is not enough, and a second 16 s later (device time) is.
    const heard = recordEvents<Alert>(ward, 'alert:raised');
    const now = Date.now();
    await send([{ ts: now - 16_000, vitals: { spo2: 86 } }]);
    await sleep(500);
    expect(heard.events.filter((a) => a.rule === 'spo2.below')).toEqual([]);
    const desaturation = nextEvent<Alert>(ward, 'alert:raised', (a) => a.rule === 'spo2.below');
    await send([{ ts: now, vitals: { spo2: 86 } }]);
    expect(await desaturation).toMatchObject({ priority: 'high' });
    heard.stop();
  });
});
