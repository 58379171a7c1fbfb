// Proves what a CONNECT can and cannot do: a refusal takes the same time whatever was refused (an
// unknown id, a generated secret, a seed file's scrypt secret), a will may only be the device's
// own status, a hostile client id reaches the log escaped and short, and MQTT 5 is answered as
// the protocol level aedes does not speak.
import mqtt from 'mqtt';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  admitPatientWithDevice,
  connectDevice,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const SEED_SECRET = 'a-seed-file-secret-for-tests';

describe('CONNECT', () => {
  let vigil: VigilHarness;
  const logged: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'vigil-connect-'));

  beforeAll(async () => {
    const seedFile = join(work, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        patients: [{ id: 'p-seed', name: 'Seeded', ward: 'ward-1' }],
        devices: [{ id: 'w-seed', patientId: 'p-seed', secret: SEED_SECRET }],
      }),
    );
    vigil = await startVigil({ SEED_FILE: seedFile }, { logLines: logged });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-gen', name: 'Generated', ward: 'ward-1' },
      'w-gen',
    );
  });
  afterAll(async () => {
    await vigil?.stop({ removeData: true });
    rmSync(work, { recursive: true, force: true });
  });

  /** Milliseconds from CONNECT to a refusal. */
  async function refusedAfter(options: mqtt.IClientOptions): Promise<number> {
    const started = performance.now();
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${vigil.mqttPort}`, {
        reconnectPeriod: 0,
        connectTimeout: 5_000,
        ...options,
      }),
    ).rejects.toThrow(/Not authorized/i);
    return performance.now() - started;
  }

  it('refuses an unknown id, a generated secret and a seed secret after the same time', async () => {
    const times = {
      unknown: await refusedAfter({
        clientId: 'w-nobody',
        username: 'w-nobody',
        password: 'x'.repeat(32),
      }),
      generated: await refusedAfter({
        clientId: 'w-gen',
        username: 'w-gen',
        password: 'x'.repeat(32),
      }),
      seed: await refusedAfter({
        clientId: 'w-seed',
        username: 'w-seed',
        password: 'x'.repeat(32),
      }),
    };
    for (const time of Object.values(times)) expect(time).toBeGreaterThanOrEqual(950);
    const spread = Math.max(...Object.values(times)) - Math.min(...Object.values(times));
    expect([times, spread < 150]).toEqual([times, true]);
    // The right secrets still connect at once.
    const seeded = await connectDevice(vigil, 'w-seed', { password: SEED_SECRET });
    await seeded.endAsync();
  });

  it("refuses a will on any topic but the device's own status", async () => {
    await refusedAfter({
      clientId: 'w-gen',
      username: 'w-gen',
      password: vigil.secrets.get('w-gen'),
      will: {
        topic: 'devices/w-seed/status',
        payload: Buffer.from('{"status":"offline"}'),
        qos: 1,
        retain: false,
      },
    });
    const honest = await connectDevice(vigil, 'w-gen', {
      will: {
        topic: 'devices/w-gen/status',
        payload: Buffer.from('{"status":"offline"}'),
        qos: 1,
        retain: false,
      },
    });
    await honest.endAsync();
  });

  it('logs a hostile client id once per refusal, escaped and cut short', async () => {
    const hostile = `evil\n2026-12-02 FAKE admin signed in ${'x'.repeat(10_000)}`;
    logged.length = 0;
    await refusedAfter({ clientId: hostile, username: hostile, password: 'whatever' });
    const messages = logged
      .map((line) => (JSON.parse(line) as { msg: string }).msg)
      .filter((message) => message.includes('evil'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('"evil\\u000a2026-12-02 FAKE');
    expect(messages[0]).not.toContain('\n');
    expect(messages[0].length).toBeLessThan(300);
  });

  it('answers an MQTT 5 CONNECT as an unacceptable protocol version (aedes speaks 3.1 and 3.1.1)', async () => {
    await expect(
      mqtt.connectAsync(`mqtt://127.0.0.1:${vigil.mqttPort}`, {
        clientId: 'w-gen',
        username: 'w-gen',
        password: vigil.secrets.get('w-gen'),
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      }),
    ).rejects.toThrow(/protocol/i);
  });
});
