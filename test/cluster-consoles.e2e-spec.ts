// Proves, with a real Redis and two Vigil nodes, that a console connected to one node hears the
// alerts and live vitals of its wards raised on the other (Socket.IO's Redis Streams adapter),
// also after Redis was killed and started again; and that a node whose REDIS_URL does not answer
// refuses to start, saying why.
import type { Alert, VitalsEvent } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
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
