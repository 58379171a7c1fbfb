// Proves the broker survives hostile input for a bounded time: random bytes, mutated MQTT packets
// (valid ones from mqtt-packet with bytes flipped, cut or repeated) and random payloads from an
// authenticated device, while a well-behaved device keeps streaming and loses nothing.
import { generate, type Packet } from 'mqtt-packet';
import { connect as tcpConnect } from 'node:net';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { SeededRandom } from '../device-simulator/src/random';
import {
  admitPatientWithDevice,
  connectDevice,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const FUZZ_MS = 6_000;
const random = new SeededRandom(Number(process.env.FUZZ_SEED ?? 20261128));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)];

function validPackets(secret: string): Packet[] {
  return [
    {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: 'wear-z1',
      keepalive: 30,
      username: 'wear-z1',
      password: Buffer.from(secret),
    },
    {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clean: true,
      clientId: 'fuzzer',
      keepalive: 0,
    },
    {
      cmd: 'publish',
      topic: 'devices/wear-z1/vitals',
      payload: Buffer.from('{"ts":1,"seq":1,"vitals":{}}'),
      qos: 1,
      messageId: 7,
      dup: false,
      retain: false,
    },
    {
      cmd: 'publish',
      topic: 'devices/wear-steady/vitals',
      payload: Buffer.from('x'),
      qos: 0,
      dup: false,
      retain: true,
    },
    { cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: '#', qos: 1 }] },
    { cmd: 'unsubscribe', messageId: 4, unsubscriptions: ['a/b'] },
    { cmd: 'pingreq' },
    { cmd: 'pubrel', messageId: 9 },
    { cmd: 'disconnect' },
  ] as Packet[];
}

function mutate(packet: Buffer): Buffer {
  const bytes = Buffer.from(packet);
  switch (pick(['flip', 'cut', 'repeat', 'length', 'append'] as const)) {
    case 'flip':
      for (let i = 0; i < 1 + random.next() * 4; i++)
        bytes[Math.floor(random.next() * bytes.length)] = Math.floor(random.next() * 256);
      return bytes;
    case 'cut':
      return bytes.subarray(0, Math.floor(random.next() * bytes.length));
    case 'repeat':
      return Buffer.concat([bytes, bytes, bytes]);
    case 'length':
      bytes[1] = 0xff; // a remaining length that claims far more than follows
      return bytes;
    case 'append':
      return Buffer.concat([
        bytes,
        Buffer.from(Array.from({ length: 32 }, () => Math.floor(random.next() * 256))),
      ]);
  }
}

describe('broker under fuzzed input', () => {
  let vigil: VigilHarness;

  beforeAll(async () => {
    vigil = await startVigil({ MQTT_MAX_MESSAGES_PER_SECOND: '1000' });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-steady', name: 'Steady', ward: 'ward-1' },
      'wear-steady',
    );
    await admitPatientWithDevice(vigil, { id: 'p-z1', name: 'Fuzzed', ward: 'ward-1' }, 'wear-z1');
  });

  afterAll(async () => {
    await vigil?.stop({ removeData: true });
  });

  it('keeps serving and storing a well-behaved device while others send garbage', async () => {
    const steady = await connectDevice(vigil, 'wear-steady', { reconnectPeriod: 0 });
    const acknowledged = new Set<number>();
    let seq = 0;
    const base = Date.now() - 60_000;
    const streaming = setInterval(() => {
      const mine = ++seq;
      steady.publish(
        'devices/wear-steady/vitals',
        JSON.stringify({ ts: base + mine * 10, seq: mine, vitals: { heartRate: 70 } }),
        { qos: 1 },
        (error) => {
          if (!error) acknowledged.add(mine);
        },
      );
    }, 20);

    const noisy = await connectDevice(vigil, 'wear-z1', { reconnectPeriod: 0 });
    const packets = validPackets(vigil.secrets.get('wear-z1') as string).map((packet) =>
      generate(packet),
    );
    const deadline = Date.now() + FUZZ_MS;
    let attacks = 0;
    while (Date.now() < deadline) {
      attacks += 1;
      if (random.next() < 0.3 && noisy.connected) {
        const junk = Buffer.from(
          Array.from({ length: Math.floor(random.next() * 2048) }, () =>
            Math.floor(random.next() * 256),
          ),
        );
        noisy.publish(
          'devices/wear-z1/vitals',
          random.next() < 0.5
            ? junk
            : JSON.stringify({ ts: random.next(), vitals: junk.toString('latin1') }),
          { qos: 0 },
        );
        continue;
      }
      await new Promise<void>((resolve) => {
        const socket = tcpConnect(vigil.mqttPort, '127.0.0.1', () => {
          const chunks = Array.from({ length: 1 + Math.floor(random.next() * 4) }, () =>
            random.next() < 0.2
              ? Buffer.from(Array.from({ length: 64 }, () => Math.floor(random.next() * 256)))
              : mutate(pick(packets)),
          );
          socket.end(Buffer.concat(chunks));
        });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.setTimeout(500, () => socket.destroy());
        socket.resume();
      });
    }
    clearInterval(streaming);
    const settleDeadline = Date.now() + 5_000;
    while (acknowledged.size < seq && Date.now() < settleDeadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await steady.endAsync();
    noisy.end(true);

    expect(attacks).toBeGreaterThan(200);
    expect(acknowledged.size).toBe(seq);
    const health = await vigil.fetch(`/health`);
    expect(health.status).toBe(200);
    const store = vigil.app.get<TelemetryStore>(TELEMETRY_STORE);
    const stored = await store.querySamples({ patientId: 'p-steady', from: base, to: Date.now() });
    expect(stored.map((sample) => sample.seq)).toEqual([...acknowledged].sort((x, y) => x - y));
  }, 40_000);
});
