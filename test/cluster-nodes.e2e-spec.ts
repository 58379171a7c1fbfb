// Proves two Vigil nodes form one service on real engines (PostgreSQL, Redis, InfluxDB from
// Debian, on loopback ports of this test): each acts for its share of the patients, whatever node
// a device or a console reaches; a node killed with `kill -9` mid-stream hands its patients to the
// survivor (no acknowledged sample lost, no alert raised twice, escalation once); and a node that
// returns takes its share back. Both nodes run as `npm start` runs them (the build must be current:
// npm test builds first).
import { partitionOf } from '@vigil/alerts';
import { CARE_NAMESPACE, type Alert } from '@vigil/contracts';
import { VigilClient } from '@vigil/client';
import mqtt, { type MqttClient } from 'mqtt';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Pool } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { freePort } from './support/free-port';
import { startInfluxd, type InfluxdServer } from './support/influxd-server';
import { startPostgres, type PostgresServer } from './support/postgres-server';
import { startRedis, type RedisServer } from './support/redis-server';
import { TEST_ADMIN } from './support/vigil-harness';
import { startVigilProcess, type VigilProcess } from './support/vigil-process';

const WARD = 'ward-1';
const CHARGE = { username: 'cluster-charge', password: 'cluster-charge-password' };
const PATIENTS = Array.from({ length: 16 }, (_, index) => `p-cl-${index}`);
const NORMAL = { heartRate: 72, spo2: 97, respRate: 14, systolicBp: 122, temperature: 36.8 };
const PERIOD_MS = 200;
const LEASE_SECONDS = 3;
const ESCALATE_SECONDS = 20;

interface Node {
  readonly name: string;
  readonly httpPort: number;
  readonly mqttPort: number;
  readonly peerPort: number;
  process?: VigilProcess;
}

interface Wearable {
  readonly deviceId: string;
  readonly client: MqttClient;
  /** The seq of each sample acknowledged. */
  readonly acknowledged: number[];
  unanswered: number;
  vitals: object;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  ms: number,
  what: string,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

describe('Two nodes as one service (PostgreSQL, Redis, InfluxDB; real processes)', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let influxd: InfluxdServer;
  let leases: Pool;
  const nodes: Record<'a' | 'b', Node> = {} as Record<'a' | 'b', Node>;
  const wearables = new Map<string, Wearable>();
  const consoles: Socket[] = [];
  let consoleOnA: Socket;
  let consoleOnB: Socket;
  let dataDirB: string | undefined;
  /** A webhook receiver: every notification delivered by either node, as received. */
  const delivered: { type: string; data: { alert: Alert } }[] = [];
  let receiver: Server;

  const env = () => ({
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    INFLUX_URL: influxd.url,
    INFLUX_API: 'v1',
    INFLUX_DATABASE: 'vigil',
    AUTH_SIGNING_KEY: 'a-signing-key-shared-by-the-nodes-of-this-test',
    CLUSTER_LEASE_SECONDS: String(LEASE_SECONDS),
    ESCALATE_AFTER_SECONDS: String(ESCALATE_SECONDS),
    REMIND_EVERY_SECONDS: '600',
    VIGIL_WORKERS: '1',
  });

  /** Every node process started, in order, for CLUSTER_LOGS. */
  const runs: { name: string; process: VigilProcess }[] = [];
  const start = async (node: Node, dataDir?: string) => {
    node.process = await startVigilProcess({
      ...env(),
      HTTP_PORT: String(node.httpPort),
      MQTT_PORT: String(node.mqttPort),
      CLUSTER_PEER_PORT: String(node.peerPort),
      CLUSTER_NODE_ID: node.name,
      ...(dataDir && { DATA_DIR: dataDir }),
    });
    runs.push({ name: node.name, process: node.process });
    return node.process;
  };

  /** Who holds each partition now, by the leases in the shared database. */
  const holders = async () => {
    const { rows } = await leases.query<{ partition: number; owner: string }>(
      'SELECT partition, owner FROM partition_leases WHERE expires_at > now()',
    );
    return new Map(rows.map((row) => [row.partition, row.owner]));
  };
  const settled = (names: string[]) =>
    until(
      async () => {
        const held = await holders();
        const counts = names.map((name) => [...held.values()].filter((o) => o === name).length);
        return held.size === 64 && counts.every((count) => count === 64 / names.length);
      },
      30_000,
      `partitions evenly held by ${names.join(' and ')}`,
    );

  /** A charge nurse's console on the node; `listen` sees it before it connects. */
  const connectConsole = async (node: Node, listen: (socket: Socket) => void = () => undefined) => {
    const charge = new VigilClient(`http://127.0.0.1:${node.httpPort}`);
    await charge.signIn(CHARGE.username, CHARGE.password);
    const socket = io(`http://127.0.0.1:${node.httpPort}${CARE_NAMESPACE}`, {
      transports: ['websocket'],
      auth: { token: charge.accessToken },
      reconnection: false,
      autoConnect: false,
    });
    listen(socket);
    socket.connect();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    consoles.push(socket);
    return socket;
  };

  /** A wearable that reaches `first`, and the other node when that one is gone. */
  const connectWearable = async (deviceId: string, secret: string, first: Node, then: Node) => {
    const client = mqtt.connect({
      servers: [first, then].map((node) => ({ host: '127.0.0.1', port: node.mqttPort })),
      clientId: deviceId,
      username: deviceId,
      password: secret,
      reconnectPeriod: 300,
      connectTimeout: 3_000,
    });
    await new Promise<void>((resolve, reject) => {
      const refused = (error: Error) => {
        client.end(true);
        reject(error);
      };
      client.once('error', refused);
      client.once('connect', () => {
        client.off('error', refused);
        resolve();
      });
    });
    const wearable: Wearable = {
      deviceId,
      client,
      acknowledged: [],
      unanswered: 0,
      vitals: NORMAL,
    };
    wearables.set(deviceId, wearable);
    return wearable;
  };

  const publish = (wearable: Wearable, seq: number) => {
    wearable.unanswered += 1;
    wearable.client.publish(
      `devices/${wearable.deviceId}/vitals`,
      JSON.stringify({ samples: [{ ts: Date.now(), seq, vitals: wearable.vitals }] }),
      { qos: 1 },
      (error) => {
        wearable.unanswered -= 1;
        if (!error) wearable.acknowledged.push(seq);
      },
    );
  };

  /** The number of the latest samples sent. */
  let seq = 0;
  /** Streams every wearable at 5 Hz until `stop` resolves; samples are numbered on from `from`. */
  const stream = (from: number, stop: Promise<unknown>) => {
    seq = from;
    let stopped = false;
    void stop.then(() => (stopped = true));
    return (async () => {
      while (!stopped) {
        seq += 1;
        for (const wearable of wearables.values()) publish(wearable, seq);
        await sleep(PERIOD_MS);
      }
    })();
  };
  const openAlertsOf = async (node: Node) => {
    const metrics = await (await fetch(`http://127.0.0.1:${node.httpPort}/metrics`)).text();
    return Number(/^vigil_alerts_open (\d+)$/m.exec(metrics)?.[1]);
  };

  const events = (socket: Socket, name: string) => {
    const seen: { at: number; alert: Alert; kind?: string }[] = [];
    socket.on(name, (payload: Alert | { kind: string; alert: Alert }) =>
      seen.push(
        'alert' in payload
          ? { at: Date.now(), alert: payload.alert, kind: payload.kind }
          : { at: Date.now(), alert: payload },
      ),
    );
    return seen;
  };

  beforeAll(async () => {
    [postgres, redis, influxd] = await Promise.all([startPostgres(), startRedis(), startInfluxd()]);
    await influxd.createDatabase('vigil');
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        delivered.push(JSON.parse(Buffer.concat(chunks).toString()) as (typeof delivered)[number]);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    leases = new Pool({ connectionString: postgres.url, max: 1 });
    for (const name of ['a', 'b'] as const)
      nodes[name] = {
        name: `node-${name}`,
        httpPort: await freePort(),
        mqttPort: await freePort(),
        peerPort: await freePort(),
      };
  }, 90_000);

  afterAll(async () => {
    // CLUSTER_LOGS=/tmp/x keeps each node process's log in /tmp/x-<n>-<node>.log.
    if (process.env.CLUSTER_LOGS)
      for (const [index, { name, process: started }] of runs.entries())
        writeFileSync(`${process.env.CLUSTER_LOGS}-${index}-${name}.log`, started.server.output());
    for (const socket of consoles) socket.close();
    for (const { client } of wearables.values()) await client.endAsync(true);
    await nodes.a?.process?.stop();
    await nodes.b?.process?.stop();
    await leases?.end();
    receiver?.close();
    await Promise.all([postgres?.stop(), redis?.stop(), influxd?.stop()]);
  });

  const secrets = new Map<string, string>();

  it('shares the partitions evenly between two nodes', async () => {
    const a = await start(nodes.a);
    const admin = new VigilClient(a.httpUrl);
    await admin.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    await admin.createUser({
      ...CHARGE,
      displayName: 'Charge',
      role: 'charge-nurse',
      wards: [WARD],
    });
    for (const id of PATIENTS)
      secrets.set(
        id,
        await admin.admit({ id, name: `Patient ${id}`, ward: WARD, deviceId: `w-${id}` }),
      );
    await settled(['node-a']);
    const b = await start(nodes.b);
    dataDirB = b.dataDir;
    await settled(['node-a', 'node-b']);
  }, 120_000);

  it("gives a console on one node the alerts of the other's patients, and takes an acknowledgement on either", async () => {
    const held = await holders();
    const ownedBy = (node: string) => PATIENTS.filter((id) => held.get(partitionOf(id)) === node);
    expect(ownedBy('node-a').length).toBeGreaterThan(0);
    expect(ownedBy('node-b').length).toBeGreaterThan(0);
    // A webhook registered on node A once both run: node B learns of it, and one node delivers.
    const admin = new VigilClient(`http://127.0.0.1:${nodes.a.httpPort}`);
    await admin.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const { port } = receiver.address() as { port: number };
    const target = await fetch(`http://127.0.0.1:${nodes.a.httpPort}/api/notification-targets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Ward phones',
        url: `http://127.0.0.1:${port}/hook`,
        ward: WARD,
        minPriority: 'low',
      }),
    });
    expect(target.status).toBe(201);
    consoleOnA = await connectConsole(nodes.a);
    consoleOnB = await connectConsole(nodes.b);
    // Every wearable on the node that does not own its patient, half of them through each.
    for (const id of PATIENTS) {
      const owner = held.get(partitionOf(id));
      const [first, then] = owner === 'node-a' ? [nodes.b, nodes.a] : [nodes.a, nodes.b];
      await connectWearable(`w-${id}`, secrets.get(id) as string, first, then);
    }
    const patient = ownedBy('node-b')[0];
    const raisedOnA = events(consoleOnA, 'alert:raised');
    const updatedOnB = events(consoleOnB, 'alert:updated');
    const wearable = wearables.get(`w-${patient}`) as Wearable;
    wearable.vitals = { ...NORMAL, spo2: 85 };
    let stop!: () => void;
    const streaming = stream(0, new Promise<void>((resolve) => (stop = resolve)));
    const raised = await until(
      () => raisedOnA.find((event) => event.alert.patientId === patient)?.alert,
      30_000,
      `the alert of ${patient} (owned by node B, her wearable on node A) on node A's console`,
    );
    const charge = new VigilClient(`http://127.0.0.1:${nodes.a.httpPort}`);
    await charge.signIn(CHARGE.username, CHARGE.password);
    const sentAt = Date.now();
    const acked = await fetch(`http://127.0.0.1:${nodes.a.httpPort}/api/alerts/${raised.id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${charge.accessToken}` },
    });
    expect(acked.status).toBe(200);
    const seenOnB = await until(
      () =>
        updatedOnB.find(
          (event) => event.alert.id === raised.id && event.alert.state === 'acknowledged',
        ),
      5_000,
      "the acknowledgement on node B's console",
    );
    expect(seenOnB.at - sentAt).toBeLessThan(1_000);
    // Raised on node B, registered on node A, delivered by one node: once each.
    const deliveries = (type: string) =>
      delivered.filter((event) => event.type === type && event.data.alert.id === raised.id);
    await until(
      () => deliveries('alert.acknowledged').length > 0,
      5_000,
      'the acknowledgement delivered to the webhook',
    );
    await sleep(1_000);
    expect(deliveries('alert.raised')).toHaveLength(1);
    expect(deliveries('alert.acknowledged')).toHaveLength(1);
    wearable.vitals = NORMAL;
    stop();
    await streaming;
  }, 60_000);

  it("keeps each node's records current and answers about a patient from the node acting for her", async () => {
    const held = await holders();
    // A patient admitted on node A whom node B acts for, her wearable connected to node B.
    const newcomer = Array.from({ length: 64 }, (_, i) => `p-new-${i}`).find(
      (id) => held.get(partitionOf(id)) === 'node-b',
    ) as string;
    const admin = new VigilClient(`http://127.0.0.1:${nodes.a.httpPort}`);
    await admin.signIn(TEST_ADMIN.username, TEST_ADMIN.password);
    const secret = await admin.admit({
      id: newcomer,
      name: 'New Comer',
      ward: WARD,
      deviceId: `w-${newcomer}`,
    });
    const wearable = await until(
      () => connectWearable(`w-${newcomer}`, secret, nodes.b, nodes.a).catch(() => undefined),
      5_000,
      'the wearable admitted on node A connecting to node B',
    );
    await wearable.client.publishAsync(
      `devices/w-${newcomer}/vitals`,
      JSON.stringify({ samples: [{ ts: Date.now(), seq: 1, vitals: NORMAL }] }),
      { qos: 1 },
    );
    wearable.acknowledged.push(1);

    // Signed in on node A, a charge nurse pauses her alarms through node A: node B holds the
    // pause, and either node answers with it.
    const charge = new VigilClient(`http://127.0.0.1:${nodes.a.httpPort}`);
    await charge.signIn(CHARGE.username, CHARGE.password);
    const call = (node: Node, method: string, path: string, body?: object) =>
      fetch(`http://127.0.0.1:${node.httpPort}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${charge.accessToken}`,
          'content-type': 'application/json',
        },
        body: body && JSON.stringify(body),
      });
    const paused = await call(nodes.a, 'POST', `/api/patients/${newcomer}/alarm-pause`, {
      minutes: 2,
      scope: 'all',
      reason: 'washing',
    });
    expect(paused.status).toBe(200);
    for (const node of [nodes.a, nodes.b]) {
      const current = await call(node, 'GET', `/api/patients/${newcomer}/alarm-pause`);
      expect(((await current.json()) as { pause: { reason: string } }).pause.reason).toBe(
        'washing',
      );
    }
    expect((await call(nodes.b, 'DELETE', `/api/patients/${newcomer}/alarm-pause`)).status).toBe(
      204,
    );
    const invalid = await call(nodes.a, 'POST', `/api/patients/${newcomer}/alarm-pause`, {
      minutes: 0,
    });
    expect(invalid.status).toBe(400);

    // Her wearable's secret rotated on node A: node B closes its connection.
    const closed = new Promise<void>((resolve) => wearable.client.once('close', () => resolve()));
    const rotated = await fetch(
      `http://127.0.0.1:${nodes.a.httpPort}/api/devices/w-${newcomer}/secret`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${admin.accessToken}`,
          'content-type': 'application/json',
        },
        body: '{}',
      },
    );
    expect(rotated.status).toBe(200);
    await closed;
    await wearable.client.endAsync(true);
    wearables.delete(`w-${newcomer}`);

    // Discharged through node A: node B, acting for her, ends what it held of her, and her
    // wearable, gone, raises no alarm.
    const raisedOnB = events(consoleOnB, 'alert:raised');
    await admin.discharge(newcomer, 'home');
    await sleep(7_000);
    expect(raisedOnB.filter((event) => event.alert.patientId === newcomer)).toEqual([]);
  }, 60_000);

  it('hands a killed node’s patients to the survivor: nothing acknowledged lost, one alert, one escalation', async () => {
    const held = await holders();
    const probe = PATIENTS.find((id) => held.get(partitionOf(id)) === 'node-b') as string;
    const probeWearable = wearables.get(`w-${probe}`) as Wearable;
    const raisedOnA = events(consoleOnA, 'alert:raised');
    const escalatedOnA = events(consoleOnA, 'alert:escalated');
    probeWearable.vitals = { ...NORMAL, heartRate: 140 };
    let stop!: () => void;
    const streaming = stream(10_000, new Promise<void>((resolve) => (stop = resolve)));
    const heartAlert = () =>
      raisedOnA.filter((e) => e.alert.patientId === probe && e.alert.rule === 'heartRate.above');
    const first = await until(() => heartAlert()[0], 30_000, `the heart-rate alert of ${probe}`);

    // Node B dies the hard way with its patients' alert open and escalation pending.
    process.kill(nodes.b.process?.server.child.pid as number, 'SIGKILL');
    const killedAt = seq;
    await settled(['node-a']);
    await until(
      () => escalatedOnA.find((e) => e.alert.id === first.alert.id),
      Date.parse(first.alert.raisedAt) + (ESCALATE_SECONDS + 10) * 1000 - Date.now(),
      'the escalation of the alert, by node A',
    );
    await sleep(2_000);
    stop();
    await streaming;

    expect(heartAlert()).toHaveLength(1);
    expect(
      escalatedOnA.filter((e) => e.alert.id === first.alert.id && e.kind === 'escalated'),
    ).toHaveLength(1);
    const escalatedAt = escalatedOnA.find((e) => e.alert.id === first.alert.id)?.at as number;
    expect(escalatedAt - Date.parse(first.alert.raisedAt)).toBeGreaterThanOrEqual(
      ESCALATE_SECONDS * 1000 - 500,
    );
    // Only the probe was ever abnormal: no alarm came of the kill.
    expect(raisedOnA.filter((e) => e.alert.patientId !== probe)).toEqual([]);
    // Every wearable, those of node B's patients and those connected to it too, was served
    // again well after the kill (a sample every 200 ms: 25 are 5 s).
    for (const wearable of wearables.values())
      expect({
        id: wearable.deviceId,
        served: Math.max(...wearable.acknowledged) > killedAt + 25,
      }).toEqual({
        id: wearable.deviceId,
        served: true,
      });
    expect(await openAlertsOf(nodes.a)).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('takes its share back when the node returns, and every acknowledged sample is stored', async () => {
    const raisedOnA = events(consoleOnA, 'alert:raised');
    const escalatedOnA = events(consoleOnA, 'alert:escalated');
    let stop!: () => void;
    const streaming = stream(100_000, new Promise<void>((resolve) => (stop = resolve)));
    await start(nodes.b, dataDirB);
    await settled(['node-a', 'node-b']);
    await sleep(3_000);
    stop();
    await streaming;
    await until(() => [...wearables.values()].every((w) => w.unanswered === 0), 20_000, 'acks');
    // The probe's alert went back to node B with its partition, open and escalated already:
    // never raised or escalated again, and a console that connects to B is shown it once.
    expect(raisedOnA).toEqual([]);
    expect(escalatedOnA).toEqual([]);
    const openOnB = await openAlertsOf(nodes.b);
    expect(openOnB).toBeGreaterThanOrEqual(1);
    expect(await openAlertsOf(nodes.a)).toBe(0);
    let shown: ReturnType<typeof events> = [];
    await connectConsole(nodes.b, (socket) => (shown = events(socket, 'alert:raised')));
    await sleep(1_000);
    expect(shown.map((e) => e.alert.rule).filter((rule) => rule === 'heartRate.above')).toEqual([
      'heartRate.above',
    ]);

    // What node B acknowledged before it died drains from its spool once it is back.
    for (const wearable of wearables.values()) {
      const missing = await until(
        async () => {
          const rows = await influxd.select(
            'vigil',
            `SELECT "seq" FROM "vitals" WHERE "device" = '${wearable.deviceId}'`,
          );
          const stored = new Set(rows.map((row) => row.seq as number));
          const lost = wearable.acknowledged.filter((seq) => !stored.has(seq));
          return lost.length === 0 ? lost : undefined;
        },
        20_000,
        `every acknowledged sample of ${wearable.deviceId} in InfluxDB`,
      );
      expect(missing).toEqual([]);
      expect(wearable.acknowledged.filter((seq) => seq > 100_000).length).toBeGreaterThan(10);
    }
  }, 120_000);
});
