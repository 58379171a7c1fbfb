import { CARE_NAMESPACE, type Alert } from '@vigil/contracts';
import { VigilClient } from '@vigil/client';
import Database from 'better-sqlite3-multiple-ciphers';
import mqtt, { type MqttClient } from 'mqtt';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { freePort } from './support/free-port';
import { startVigilProcess, type VigilProcess } from './support/vigil-process';
import { TEST_ADMIN } from './support/vigil-harness';

// Vigil as `npm start` runs it, with two edge workers holding the devices' connections (the
// build must be current: npm test builds first).

const WARD = 'ward-1';
const NURSE = { username: 'workers-nurse', password: 'workers-nurse-password' };
const PROBE = 'wk-probe';
const DEVICES = [PROBE, ...Array.from({ length: 20 }, (_, i) => `wk-${i}`)];
const NORMAL = { heartRate: 72, spo2: 97, respRate: 14, systolicBp: 122, temperature: 36.8 };
const HIGH_HEART_RATE = { ...NORMAL, heartRate: 140 };
const PERIOD_MS = 200;
/** Heart rate's sustain time (libs/rules ALARM_TIMING). */
const SUSTAIN_MS = 10_000;

interface Wearable {
  readonly client: MqttClient;
  readonly acknowledged: number[];
  unanswered: number;
}

async function connectWearable(vigil: VigilProcess, id: string, secret: string): Promise<Wearable> {
  const client = await mqtt.connectAsync(vigil.mqttUrl, {
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 200,
    connectTimeout: 5_000,
  });
  return { client, acknowledged: [], unanswered: 0 };
}

function publish(wearable: Wearable, id: string, ts: number, vitals: object, seq: number): void {
  wearable.unanswered += 1;
  wearable.client.publish(
    `devices/${id}/vitals`,
    JSON.stringify({ samples: [{ ts, seq, vitals }] }),
    { qos: 1 },
    (error) => {
      wearable.unanswered -= 1;
      if (!error) wearable.acknowledged.push(ts);
    },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Kills one edge worker the hard way and waits for its replacement. */
async function killWorker(vigil: VigilProcess, pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await until(
    () => {
      const pids = vigil.workerPids();
      return pids.length === 2 && !pids.includes(pid);
    },
    10_000,
    `no replacement for worker ${pid}`,
  );
}

describe('Edge workers (VIGIL_WORKERS=2, a real process)', () => {
  let vigil: VigilProcess;
  let admin: VigilClient;
  let console: Socket;
  const wearables = new Map<string, Wearable>();

  beforeAll(async () => {
    vigil = await startVigilProcess({ VIGIL_WORKERS: '2' });
    admin = new VigilClient(vigil.httpUrl);
    await admin.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    await admin.createUser({
      ...NURSE,
      displayName: 'Ward Nurse',
      role: 'nurse',
      wards: [WARD],
    });
    for (const id of DEVICES) {
      const secret = await admin.admit({
        id: `p-${id}`,
        name: `Patient ${id}`,
        ward: WARD,
        deviceId: id,
      });
      wearables.set(id, await connectWearable(vigil, id, secret));
    }
    const nurse = new VigilClient(vigil.httpUrl);
    await nurse.signIn(NURSE.username, NURSE.password);
    console = io(`${vigil.httpUrl}${CARE_NAMESPACE}`, {
      transports: ['websocket'],
      auth: { token: nurse.accessToken },
    });
    await new Promise<void>((resolve, reject) => {
      console.once('connect', resolve);
      console.once('connect_error', reject);
    });
  }, 60_000);

  afterAll(async () => {
    console?.close();
    for (const { client } of wearables.values()) await client.endAsync(true);
    await vigil?.stop();
  });

  it('runs two workers, and every device connects through them', async () => {
    expect(vigil.workerPids()).toHaveLength(2);
    const health = (await (await fetch(`${vigil.httpUrl}/health`)).json()) as {
      broker: { connectedDevices: number };
    };
    expect(health.broker.connectedDevices).toBe(DEVICES.length);
  });

  it("reports each worker's event loop in the owner's /metrics", async () => {
    const metrics = () => fetch(`${vigil.httpUrl}/metrics`).then((response) => response.text());
    let text = '';
    for (let waited = 0; waited < 25_000; waited += 500) {
      text = await metrics();
      // Each worker reports 10 s after its own start.
      const reported = (worker: number) =>
        text.includes(`vigil_edge_worker_event_loop_utilization{worker="${worker}"}`);
      if (reported(0) && reported(1)) break;
      await sleep(500);
    }
    expect(text).toMatch(/^vigil_edge_workers_listening 2$/m);
    expect(text).toMatch(/^vigil_edge_worker_event_loop_utilization\{worker="0"\} [\d.]+$/m);
    expect(text).toMatch(/^vigil_edge_worker_event_loop_delay_p99_seconds\{worker="1"\} [\d.]+$/m);
  }, 30_000);

  it("answers a bad message on the device's errors topic, from the worker that parsed it", async () => {
    const id = 'wk-0';
    const { client } = wearables.get(id) as Wearable;
    await client.subscribeAsync(`devices/${id}/errors`, { qos: 1 });
    const answer = new Promise<{ code: string }>((resolve) =>
      client.once('message', (_topic, payload) => resolve(JSON.parse(payload.toString()))),
    );
    await client.publishAsync(`devices/${id}/vitals`, '{"samples": [{"ts": "soon"}]}', { qos: 1 });
    expect((await answer).code).toMatch(/^TELEMETRY\./);
  });

  it('closes the connection of a device whose secret is rotated, whichever worker holds it', async () => {
    const id = 'wk-rotated';
    const secret = await admin.admit({ id: `p-${id}`, name: 'Rotated', ward: WARD, deviceId: id });
    const device = await mqtt.connectAsync(vigil.mqttUrl, {
      clientId: id,
      username: id,
      password: secret,
      reconnectPeriod: 0,
    });
    const closed = new Promise<boolean>((resolve) => {
      device.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 10_000);
    });
    const rotated = await fetch(`${vigil.httpUrl}/api/devices/${id}/secret`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(rotated.status).toBe(200);
    expect(await closed).toBe(true);
    await expect(
      mqtt.connectAsync(vigil.mqttUrl, {
        clientId: id,
        username: id,
        password: secret,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Not authorized/i);
    await admin.discharge(`p-${id}`, 'test over');
  });

  it('loses no acknowledged sample and raises each alert once while both workers are killed in turn', async () => {
    const raised: Alert[] = [];
    console.on('alert:raised', (alert: Alert) => raised.push(alert));
    const [first, second] = vigil.workerPids();
    const start = Date.now();
    const stopAt = start + 16_000;
    let seq = 0;
    const stream = (async () => {
      while (Date.now() < stopAt) {
        const ts = Date.now();
        seq += 1;
        for (const [id, wearable] of wearables)
          publish(wearable, id, ts, id === PROBE ? HIGH_HEART_RATE : NORMAL, seq);
        await sleep(PERIOD_MS);
      }
    })();
    await sleep(3_000);
    await killWorker(vigil, first);
    await sleep(2_000);
    await killWorker(vigil, second);
    await stream;
    await until(
      () => [...wearables.values()].every((w) => w.unanswered === 0),
      30_000,
      'publishes still unacknowledged',
    );
    await sleep(1_000);

    const db = new Database(join(vigil.dataDir, 'vigil.db'), { readonly: true });
    const stored = db.prepare('SELECT ts FROM samples WHERE device_id = ?');
    let acknowledged = 0;
    for (const [id, wearable] of wearables) {
      const times = new Set((stored.all(id) as { ts: number }[]).map((row) => row.ts));
      const lost = wearable.acknowledged.filter((ts) => !times.has(ts));
      expect({ id, lost }).toEqual({ id, lost: [] });
      // Every device went on being served after both kills.
      expect(Math.max(...wearable.acknowledged)).toBeGreaterThan(stopAt - 2_000);
      acknowledged += wearable.acknowledged.length;
    }
    db.close();
    expect(acknowledged).toBeGreaterThan(DEVICES.length * 60);

    const probe = raised.filter((alert) => alert.patientId === `p-${PROBE}`);
    const rules = probe.map((alert) => alert.rule);
    expect(new Set(rules).size).toBe(rules.length);
    const heart = probe.find((alert) => alert.vital === 'heartRate');
    expect(heart).toBeDefined();
    const after = Date.parse((heart as Alert).raisedAt) - start;
    expect(after).toBeGreaterThanOrEqual(SUSTAIN_MS - 500);
    expect(after).toBeLessThan(SUSTAIN_MS + 3_000);
    // Only the probe patient was ever abnormal: no device alarm from the kills.
    expect(raised.filter((alert) => alert.patientId !== `p-${PROBE}`)).toEqual([]);
  }, 90_000);

  it('stops with its workers on SIGTERM', async () => {
    const workers = vigil.workerPids();
    const stoppedAt = Date.now();
    await vigil.stop();
    // Nest closes the application, then ends the process by the signal it received.
    const { exitCode, signalCode } = vigil.server.child;
    expect([0, 'SIGTERM']).toContain(exitCode ?? signalCode);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    const alive = workers.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});

describe('MQTT over TLS through edge workers (VIGIL_WORKERS=2, a real process)', () => {
  const work = mkdtempSync(join(tmpdir(), 'vigil-workers-tls-'));
  const trusted = join(work, 'trusted');
  const untrusted = join(work, 'untrusted');
  const file = (dir: string, name: string) => readFileSync(join(dir, name));
  let vigil: VigilProcess;
  let mqttsUrl: string;

  beforeAll(async () => {
    execFileSync('scripts/dev-certs.sh', [trusted, 'wear-tls']);
    execFileSync('scripts/dev-certs.sh', [untrusted, 'wear-tls']);
    const seedFile = join(work, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        patients: [{ id: 'p-tls', name: 'Patient TLS', ward: WARD }],
        devices: [{ id: 'wear-tls', patientId: 'p-tls', secret: 'a-secret-for-this-test-only' }],
      }),
    );
    const mqttsPort = await freePort();
    mqttsUrl = `mqtts://127.0.0.1:${mqttsPort}`;
    vigil = await startVigilProcess({
      VIGIL_WORKERS: '2',
      SEED_FILE: seedFile,
      TLS_CERT_FILE: join(trusted, 'server.pem'),
      TLS_KEY_FILE: join(trusted, 'server-key.pem'),
      TLS_CA_FILE: join(trusted, 'ca.pem'),
      MQTTS_PORT: String(mqttsPort),
      MQTT_PLAIN: 'false',
    });
  }, 60_000);

  afterAll(async () => {
    await vigil?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const connect = (dir: string) =>
    mqtt.connectAsync(mqttsUrl, {
      clientId: 'wear-tls',
      ca: file(trusted, 'ca.pem'),
      key: file(dir, 'device-wear-tls-key.pem'),
      cert: file(dir, 'device-wear-tls.pem'),
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    });

  it('accepts a trusted device certificate, asking the owner, and acknowledges what it sends', async () => {
    const device = await connect(trusted);
    await device.publishAsync(
      'devices/wear-tls/vitals',
      JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 72 } }),
      { qos: 1 },
    );
    await device.endAsync();
  });

  it('refuses a certificate from another CA', async () => {
    await expect(connect(untrusted)).rejects.toThrow();
  });
});
