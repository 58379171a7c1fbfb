// Proves, with a real Redis and two Vigil nodes, that a console connected to one node hears the
// alerts and live vitals of its wards raised on the other (Socket.IO's Redis Streams adapter),
// also after Redis was killed and started again; and that a node whose REDIS_URL does not answer
// refuses to start, saying why.
import type { Alert, VitalsEvent } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import { CARE_STREAM } from '@vigil/gateway';
import { createClient } from 'redis';
import { startRedis, type RedisServer } from './support/redis-server';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  publishSustained,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('two nodes, one set of consoles (Redis Streams adapter)', () => {
  let redis: RedisServer;
  let nodeA: VigilHarness;
  let nodeB: VigilHarness;
  let wearable: MqttClient;
  let consoleOnB: Socket;
  let seq = 0;

  beforeAll(async () => {
    redis = await startRedis();
    nodeA = await startVigil({ REDIS_URL: redis.url });
    nodeB = await startVigil({ REDIS_URL: redis.url });
    await admitPatientWithDevice(
      nodeA,
      { id: 'p-node-a', name: 'Nadia Node', ward: 'ward-1' },
      'wear-node-a',
    );
    wearable = await connectDevice(nodeA, 'wear-node-a');
    consoleOnB = await connectConsole(nodeB);
  });

  afterAll(async () => {
    consoleOnB?.close();
    await wearable?.endAsync(true);
    await nodeA?.stop({ removeData: true });
    await nodeB?.stop({ removeData: true });
    await redis?.stop();
  });

  const breach = (vitals: Record<string, number>) => {
    seq += 2;
    return publishSustained(wearable, 'wear-node-a', vitals, seq - 2);
  };

  it('gives a console on one node the alerts and live vitals of its wards raised on another', async () => {
    const vitals = nextEvent<VitalsEvent>(consoleOnB, 'vitals', (e) => e.patientId === 'p-node-a');
    const raised = nextEvent<Alert>(
      consoleOnB,
      'alert:raised',
      (alert) => alert.patientId === 'p-node-a' && alert.rule === 'spo2.below',
    );
    const sentAt = Date.now();
    await breach({ spo2: 85 });
    await vitals;
    expect((await raised).priority).toBe('high');
    expect(Date.now() - sentAt).toBeLessThan(1_000);
  });

  it("sends a ward's live vitals to the other nodes as one frame, not one entry per patient", async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `p-frame-${i}`);
    const devices = [];
    for (const id of ids) {
      await admitPatientWithDevice(nodeA, { id, name: `Frame ${id}`, ward: 'ward-2' }, `w-${id}`);
      devices.push(await connectDevice(nodeA, `w-${id}`));
    }
    const redisClient = await createClient({ url: redis.url }).connect();
    const subscriber = await redisClient.duplicate().connect();
    const published: Buffer[] = [];
    await subscriber.subscribe(
      'socket.io#/care#',
      (message) => published.push(message),
      true, // as Buffers: the adapter sends msgpack
    );
    try {
      const [last] = await redisClient.xRevRange(CARE_STREAM, '+', '-', { COUNT: 1 });
      const heard = new Set<string>();
      const allHeard = new Promise<void>((resolve) =>
        consoleOnB.on('vitals', (event: VitalsEvent) => {
          if (ids.includes(event.patientId)) heard.add(event.patientId);
          if (heard.size === ids.length) resolve();
        }),
      );
      const ts = Date.now();
      await Promise.all(
        devices.map((device, i) =>
          device.publishAsync(
            `devices/w-${ids[i]}/vitals`,
            JSON.stringify({ ts, seq: 1, vitals: { heartRate: 70 + i, spo2: 97 } }),
            { qos: 1 },
          ),
        ),
      );
      await allHeard;
      // Not one stream entry per patient's event...
      const entries = await redisClient.xRange(CARE_STREAM, last ? `(${last.id}` : '-', '+');
      expect(entries.filter(({ message }) => message.data?.includes('"vitals"'))).toEqual([]);
      // ...but the ward's frame, published (live vitals are replaced by the next, not replayed).
      const frames = published.filter((message) => message.includes('p-frame-'));
      expect(frames.length).toBeGreaterThanOrEqual(1);
      expect(frames.length).toBeLessThanOrEqual(2);
    } finally {
      await subscriber.quit();
      await redisClient.quit();
      for (const device of devices) await device.endAsync(true);
    }
  });

  it('goes on after Redis is killed and started again', async () => {
    await redis.kill();
    await redis.restart();
    const raised = nextEvent<Alert>(
      consoleOnB,
      'alert:raised',
      (alert) => alert.patientId === 'p-node-a' && alert.rule === 'heartRate.above',
      15_000,
    );
    // The nodes reconnect within a few seconds; the breach is sent until the console hears it.
    let heard = false;
    void raised.then(() => (heard = true));
    for (let attempt = 0; attempt < 10 && !heard; attempt++) {
      await breach({ spo2: 97, heartRate: 150 + attempt });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await raised;
  }, 30_000);

  it('refuses to start a node whose Redis does not answer, saying why', async () => {
    const stopped = await startRedis();
    const url = stopped.url;
    await stopped.stop();
    await expect(startVigil({ REDIS_URL: url })).rejects.toThrow(
      /REDIS_URL: Redis at 127\.0\.0\.1:\d+ does not answer/,
    );
  }, 20_000);
});
