// Proves no acknowledged sample is lost: devices stream at QoS 1 while InfluxDB is killed (-9)
// and Vigil itself restarts; afterwards every acknowledged sample is in InfluxDB exactly once,
// and the alert raised during the outage reached the console.
import type { Alert } from '@vigil/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { freePort } from './support/free-port';
import { startInfluxd, type InfluxdServer } from './support/influxd-server';
import {
  admitPatientWithDevice,
  connectConsole,
  nextEvent,
  openConsole,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const DEVICES = ['wear-o1', 'wear-o2', 'wear-o3'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StreamingDevice {
  readonly client: MqttClient;
  readonly acknowledged: Set<number>;
  publish(vitals: Record<string, number>): void;
  settled(): Promise<void>;
}

function streamingDevice(
  deviceId: string,
  secret: string,
  mqttPort: number,
  base: number,
): StreamingDevice {
  const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
    clientId: deviceId,
    username: deviceId,
    password: secret,
    reconnectPeriod: 100,
    clean: false,
  });
  const acknowledged = new Set<number>();
  const inFlight = new Set<number>();
  let seq = 0;
  return {
    client,
    acknowledged,
    publish(vitals) {
      const mine = ++seq;
      inFlight.add(mine);
      const payload = JSON.stringify({ ts: base + mine * 10, seq: mine, vitals });
      client.publish(`devices/${deviceId}/vitals`, payload, { qos: 1 }, (error) => {
        if (!error) acknowledged.add(mine);
        inFlight.delete(mine);
      });
    },
    async settled() {
      const deadline = Date.now() + 20_000;
      while (inFlight.size > 0 && Date.now() < deadline) await sleep(50);
    },
  };
}

describe('InfluxDB and Vigil outages lose no acknowledged sample', () => {
  let influxd: InfluxdServer;
  let vigil: VigilHarness | undefined;
  let devices: StreamingDevice[] = [];
  let nurse: Socket | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-outage-'));

  beforeAll(async () => {
    influxd = await startInfluxd();
    await influxd.createDatabase('vigil');
  }, 60_000);

  afterAll(async () => {
    for (const device of devices) device.client.end(true);
    nurse?.close();
    await vigil?.stop();
    await influxd?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('spools through a kill -9 of influxd and a restart of Vigil, then drains exactly once', async () => {
    const ports = { HTTP_PORT: String(await freePort()), MQTT_PORT: String(await freePort()) };
    const env = {
      ...ports,
      DATA_DIR: dataDir,
      INFLUX_URL: influxd.url,
      INFLUX_API: 'v1',
      INFLUX_DATABASE: 'vigil',
    };
    vigil = await startVigil(env);
    for (const [index, deviceId] of DEVICES.entries()) {
      await admitPatientWithDevice(
        vigil,
        { id: `p-o${index + 1}`, name: `Patient ${index + 1}`, ward: 'ward-9' },
        deviceId,
      );
    }
    nurse = openConsole(vigil);
    nurse.io.reconnection(true).reconnectionDelay(100);
    // As the console does: a server shutting down disconnects sockets, which are not retried.
    nurse.on(
      'disconnect',
      (reason) => reason === 'io server disconnect' && setTimeout(() => nurse?.connect(), 100),
    );
    await connectConsole(vigil, nurse);

    const base = Date.now() - 60_000;
    devices = DEVICES.map((deviceId) =>
      streamingDevice(deviceId, vigil!.secrets.get(deviceId) as string, vigil!.mqttPort, base),
    );
    const stream = async (
      rounds: number,
      vitals: Record<string, number> = { heartRate: 72, spo2: 97 },
    ) => {
      for (let round = 0; round < rounds; round++) {
        for (const device of devices) device.publish(vitals);
        await sleep(20);
      }
    };

    await stream(25);
    await influxd.kill();
    await stream(25);
    const health = (await (await vigil.fetch(`/health`)).json()) as {
      store: Record<string, unknown>;
    };
    expect(health.store).toMatchObject({ status: 'degraded', adapter: 'influxdb-v1' });
    expect(health.store.spoolDepth).toEqual(expect.any(Number));

    const raised = nextEvent<Alert>(nurse, 'alert:raised', (alert) => alert.deviceId === 'wear-o2');
    devices[1].publish({ systolicBp: 85, spo2: 97 });
    expect(await raised).toMatchObject({
      patientId: 'p-o2',
      rule: 'systolicBp.below',
      priority: 'high',
    });

    await vigil.stop();
    // Queued by the devices while Vigil is down. SpO2 only, so the heart-rate alert stays active
    // until the returning console has seen it replayed.
    await stream(10, { spo2: 97 });
    const replayed = nextEvent<Alert>(
      nurse,
      'alert:raised',
      (alert) => alert.deviceId === 'wear-o2',
      10_000,
    );
    vigil = await startVigil(env);
    await stream(25, { spo2: 97 });
    expect(await replayed).toMatchObject({ state: 'active' });

    await influxd.restart();
    await stream(15, { heartRate: 72, spo2: 97, systolicBp: 120 });
    await Promise.all(devices.map((device) => device.settled()));
    for (const device of devices) device.client.end(true);

    const deadline = Date.now() + 30_000;
    let store: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      store = (
        (await (await vigil.fetch(`/health`)).json()) as {
          store: Record<string, unknown>;
        }
      ).store;
      if (store.status === 'up' && store.spoolDepth === 0) break;
      await sleep(200);
    }
    expect(store).toMatchObject({ status: 'up', spoolDepth: 0 });

    for (const [index, device] of devices.entries()) {
      const rows = await influxd.select(
        'vigil',
        `SELECT "seq" FROM "vitals" WHERE "device" = '${DEVICES[index]}'`,
      );
      const stored = rows.map((row) => row.seq as number);
      expect(new Set(stored).size).toBe(stored.length);
      const missing = [...device.acknowledged].filter((seq) => !stored.includes(seq));
      expect(missing).toEqual([]);
      expect(device.acknowledged.size).toBeGreaterThanOrEqual(95);
    }
    const alertEvents = await influxd.select(
      'vigil',
      `SELECT "kind", "rule" FROM "alert_events" WHERE "rule" = 'systolicBp.below'`,
    );
    // Raised during the outage; cleared by a normal pressure after the restart, and latched,
    // because nobody acknowledged this high-priority alert.
    expect(alertEvents.map((event) => [event.kind, event.rule])).toEqual([
      ['raised', 'systolicBp.below'],
      ['latched', 'systolicBp.below'],
    ]);
  }, 90_000);
});
