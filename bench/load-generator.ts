// One load-generating process of the benchmark: it holds its share of the wearables' MQTT
// connections and publishes as told over IPC, so the load does not share an event loop with the
// broker it measures, nor with the other generators.
import mqtt, { type MqttClient } from 'mqtt';

export interface GeneratorDevice {
  readonly id: string;
  readonly secret?: string;
  /** Milliseconds after `go` at which this device sends its breaching probe, if it has one. */
  readonly probeAt?: number;
}

export type GeneratorCommand =
  | {
      readonly kind: 'connect';
      readonly mqttUrl: string;
      readonly devices: readonly GeneratorDevice[];
    }
  | {
      readonly kind: 'go';
      /** steady: `rateHz` per device; max: `window` QoS 1 messages in flight per device, as
       * fast as acknowledged; flood: QoS 0 and 1 alternately, without waiting, then everyone
       * disconnects at once. */
      readonly mode: 'steady' | 'max' | 'flood';
      readonly rateHz: number;
      readonly window: number;
      readonly durationMs: number;
      /** flood: goes on past `durationMs` until this many QoS 1 samples are acknowledged, for
       * at most `withinMs` in all (a slow or briefly stalled machine still floods long enough). */
      readonly untilAcknowledged?: { readonly count: number; readonly withinMs: number };
    };

export interface GeneratorReport {
  readonly kind: 'connected' | 'done';
  readonly connected: number;
  readonly failed: number;
  /** QoS 1 samples published, and PUBACKs received. */
  readonly sent: number;
  readonly acknowledged: number;
  readonly qos0: number;
  /** Rejections the broker answered on the devices' errors topics. */
  readonly rejected: number;
  readonly closes: number;
  /** [deviceId, epoch ms] of each probe's publish. */
  readonly probes: [string, number][];
  /** flood: [deviceId, ts] of every acknowledged QoS 1 sample, to find each one stored. */
  readonly acknowledgedSamples: [string, number][];
}

const clients = new Map<string, MqttClient>();
const report = {
  connected: 0,
  failed: 0,
  sent: 0,
  acknowledged: 0,
  qos0: 0,
  rejected: 0,
  closes: 0,
  probes: [] as [string, number][],
  acknowledgedSamples: [] as [string, number][],
};
let keepAcknowledged = false;
let devices: readonly GeneratorDevice[] = [];
let seq = 0;

const NORMAL = {
  heartRate: 72,
  respRate: 14,
  spo2: 97,
  temperature: 36.8,
  systolicBp: 120,
  diastolicBp: 78,
};

/** xorshift32: cheap, deterministic noise for the load, not a scenario's physiology. */
let noiseState = 0x9e3779b9;
function noise(spread: number): number {
  noiseState ^= noiseState << 13;
  noiseState ^= noiseState >>> 17;
  noiseState ^= noiseState << 5;
  return Math.round(((noiseState >>> 0) / 0xffffffff) * 2 * spread - spread);
}

/**
 * A resting patient's vitals with the beat-to-beat noise real wearables report (a constant value
 * would spare the rules engine work it does on a ward), all within normal ranges: no alert, no
 * NEWS2 above 0, systolic never more than 39 mmHg above a probe's 84.
 */
function restingVitals() {
  return {
    heartRate: NORMAL.heartRate + noise(4),
    respRate: NORMAL.respRate + noise(2),
    spo2: NORMAL.spo2 + noise(1),
    temperature: Math.round((NORMAL.temperature + noise(2) / 10) * 10) / 10,
    systolicBp: NORMAL.systolicBp + noise(3),
    diastolicBp: NORMAL.diastolicBp + noise(3),
  };
}

/** Each device's last timestamp: Vigil takes (device, ts) as a sample's identity. */
const lastTs = new Map<string, number>();

/** The last timestamps each device sent, so a probe's back-dated sample never repeats one. */
const sentTs = new Map<string, number[]>();

function nextTs(deviceId: string): number {
  const ts = Math.max(Date.now(), (lastTs.get(deviceId) ?? 0) + 1);
  lastTs.set(deviceId, ts);
  const sent = sentTs.get(deviceId) ?? [];
  sent.push(ts);
  if (sent.length > 64) sent.shift();
  sentTs.set(deviceId, sent);
  return ts;
}

/** `qos1` samples carry even sequence numbers, QoS 0 ones odd, so stored ones can be told apart. */
function sample(deviceId: string, qos1 = true): string {
  seq += seq % 2 === (qos1 ? 0 : 1) ? 2 : 1;
  return JSON.stringify({ ts: nextTs(deviceId), seq, vitals: restingVitals() });
}

/** Systolic 84 mmHg held 16 s of device time: one high-priority alert at Vigil. */
function probe(deviceId: string): string {
  const now = nextTs(deviceId);
  const vitals = { ...NORMAL, systolicBp: 84 };
  let earlier = now - 16_000;
  while (sentTs.get(deviceId)?.includes(earlier)) earlier -= 1;
  return JSON.stringify({
    samples: [
      { ts: earlier, seq: (seq += 2), vitals },
      { ts: now, seq: (seq += 2), vitals },
    ],
  });
}

function publishQos1(client: MqttClient, topic: string, payload: string, done?: () => void): void {
  report.sent += 1;
  const ts = keepAcknowledged ? lastTs.get(topic.split('/')[1]) : undefined;
  client.publish(topic, payload, { qos: 1 }, (error) => {
    if (!error) {
      report.acknowledged += 1;
      if (ts !== undefined) report.acknowledgedSamples.push([topic.split('/')[1], ts]);
    }
    done?.();
  });
}

async function connect(mqttUrl: string, list: readonly GeneratorDevice[]): Promise<void> {
  devices = list;
  for (let i = 0; i < list.length; i += 100) {
    await Promise.all(
      list.slice(i, i + 100).map(async (device) => {
        try {
          const client = await mqtt.connectAsync(mqttUrl, {
            clientId: device.id,
            username: device.id,
            password: device.secret,
            reconnectPeriod: 0,
            connectTimeout: 60_000,
            keepalive: 120,
          });
          client.on('close', () => (report.closes += 1));
          client.on('message', () => (report.rejected += 1));
          if (device.secret) await client.subscribeAsync(`devices/${device.id}/errors`, { qos: 1 });
          clients.set(device.id, client);
          report.connected += 1;
        } catch {
          report.failed += 1;
        }
      }),
    );
  }
}

function steady(rateHz: number, durationMs: number, startedAt: number): Promise<void> {
  const period = 1000 / rateHz;
  const timers: NodeJS.Timeout[] = [];
  for (const device of devices) {
    const client = clients.get(device.id);
    if (!client) continue;
    const topic = `devices/${device.id}/vitals`;
    let probeSent = device.probeAt === undefined;
    const tick = () => {
      if (!probeSent && Date.now() - startedAt >= (device.probeAt as number)) {
        probeSent = true;
        report.probes.push([device.id, Date.now()]);
        publishQos1(client, topic, probe(device.id));
      } else publishQos1(client, topic, sample(device.id));
    };
    // Spread the devices over the period, as real wearables are not in step.
    timers.push(
      setTimeout(() => {
        tick();
        timers.push(setInterval(tick, period));
      }, Math.random() * period),
    );
  }
  return new Promise((resolve) =>
    setTimeout(() => {
      for (const timer of timers) clearInterval(timer);
      resolve();
    }, durationMs),
  );
}

function max(window: number, durationMs: number): Promise<void> {
  const until = Date.now() + durationMs;
  for (const [id, client] of clients) {
    const topic = `devices/${id}/vitals`;
    const next = () => {
      if (Date.now() < until) publishQos1(client, topic, sample(id), next);
    };
    for (let i = 0; i < window; i++) next();
  }
  return new Promise((resolve) => setTimeout(resolve, durationMs));
}

async function flood(
  durationMs: number,
  untilAcknowledged = { count: 0, withinMs: durationMs },
): Promise<void> {
  keepAcknowledged = true;
  const startedAt = Date.now();
  const going = (now: number) =>
    now < startedAt + durationMs ||
    (report.acknowledged < untilAcknowledged.count && now < startedAt + untilAcknowledged.withinMs);
  while (going(Date.now())) {
    for (const [id, client] of clients) {
      const topic = `devices/${id}/vitals`;
      publishQos1(client, topic, sample(id));
      client.publish(topic, sample(id, false), { qos: 0 });
      report.qos0 += 1;
    }
    // Yield to the socket writes, then offer more than the broker can take.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Everyone disconnects at once, with messages still in flight.
  for (const client of clients.values()) client.end(true);
}

async function waitForAcks(limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (report.acknowledged < report.sent && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

process.on('message', (command: GeneratorCommand) => {
  void (async () => {
    if (command.kind === 'connect') {
      await connect(command.mqttUrl, command.devices);
      process.send?.({ kind: 'connected', ...report } satisfies GeneratorReport);
      return;
    }
    const startedAt = Date.now();
    if (command.mode === 'steady') await steady(command.rateHz, command.durationMs, startedAt);
    else if (command.mode === 'max') await max(command.window, command.durationMs);
    else await flood(command.durationMs, command.untilAcknowledged);
    if (command.mode !== 'flood') await waitForAcks(30_000);
    if (command.mode !== 'flood')
      await Promise.all([...clients.values()].map((client) => client.endAsync(true)));
    process.send?.({ kind: 'done', ...report } satisfies GeneratorReport, () => process.exit(0));
  })();
});
