// Proves Vigil sheds an overload by flow control and loses nothing it acknowledged: 50 wearables
// in another process publish QoS 0 and QoS 1 as fast as they can for 4 s and then all drop their
// connections at once (the load under which a bare aedes 1.2.0 was seen to die). Vigil stays up,
// a new device is served at once afterwards, and every acknowledged sample is in the store.
import Database from 'better-sqlite3';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorCommand, GeneratorReport } from '../bench/load-generator';
import {
  admitPatientWithDevice,
  connectDevice,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const GENERATOR = 'dist/bench/bench/load-generator.js';

function ask(generator: ChildProcess, command: GeneratorCommand): Promise<GeneratorReport> {
  return new Promise((resolve, reject) => {
    generator.once('message', (report: GeneratorReport) => resolve(report));
    generator.once('exit', (code) => reject(new Error(`load generator exited ${code}`)));
    generator.send(command);
  });
}

describe('an overload from 50 wearables, then all of them gone at once', () => {
  let vigil: VigilHarness;
  const ids = Array.from({ length: 50 }, (_, i) => `flood-${i}`);

  beforeAll(async () => {
    if (!existsSync(GENERATOR)) throw new Error(`${GENERATOR} is missing: npm run build`);
    // The per-device limit would refuse most of a flood by itself; raised, the line is tested.
    vigil = await startVigil({ MQTT_MAX_MESSAGES_PER_SECOND: '100000' });
    for (const id of [...ids, 'after'])
      await admitPatientWithDevice(vigil, { id: `p-${id}`, name: id, ward: 'ward-9' }, id);
  });

  afterAll(async () => {
    await vigil?.stop({ removeData: true });
  });

  it('stays up, serves a new device at once, and has every acknowledged sample stored', async () => {
    const generator = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const connected = await ask(generator, {
      kind: 'connect',
      mqttUrl: `mqtt://127.0.0.1:${vigil.mqttPort}`,
      devices: ids.map((id) => ({ id, secret: vigil.secrets.get(id) })),
    });
    expect(connected.connected).toBe(50);
    const report = await ask(generator, {
      kind: 'go',
      mode: 'flood',
      rateHz: 0,
      window: 0,
      durationMs: 4_000,
    });
    // More was offered than acknowledged: Vigil held its PUBACKs and stopped reading.
    expect(report.sent).toBeGreaterThan(report.acknowledged);
    expect(report.acknowledged).toBeGreaterThan(1_000);

    const startedAt = Date.now();
    const after = await connectDevice(vigil, 'after');
    await after.publishAsync(
      'devices/after/vitals',
      JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 70 } }),
      { qos: 1 },
    );
    const servedInMs = Date.now() - startedAt;
    await after.endAsync();
    expect(servedInMs).toBeLessThan(5_000);
    expect((await vigil.fetch('/health')).status).toBe(200);

    const db = new Database(join(vigil.dataDir, 'vigil.db'), { readonly: true });
    try {
      const find = db.prepare('SELECT 1 FROM samples WHERE device_id = ? AND ts = ?');
      const missing = report.acknowledgedSamples.filter(
        ([deviceId, ts]) => find.get(deviceId, ts) === undefined,
      );
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);
});
