// Proves, with real MQTT clients, that only the right device gets in and sees only its own topics:
// secrets are checked at CONNECT, topic rights in the broker's hooks, and rotating or revoking a
// secret disconnects the device at once.
import type { MqttClient } from 'mqtt';
import {
  admitPatientWithDevice,
  connectDevice,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('device identity and topic rights', () => {
  let vigil: VigilHarness;
  const opened: MqttClient[] = [];
  const connect = async (deviceId: string, options: Parameters<typeof connectDevice>[2] = {}) => {
    const client = await connectDevice(vigil, deviceId, options);
    opened.push(client);
    return client;
  };
  const closed = (client: MqttClient) =>
    new Promise<void>((resolve) => client.once('close', () => resolve()));

  beforeAll(async () => {
    vigil = await startVigil();
    await admitPatientWithDevice(vigil, { id: 'p-a', name: 'Patient A', ward: 'ward-1' }, 'wear-a');
    await admitPatientWithDevice(vigil, { id: 'p-b', name: 'Patient B', ward: 'ward-2' }, 'wear-b');
  });

  afterAll(async () => {
    for (const client of opened) client.end(true);
    await vigil?.stop({ removeData: true });
  });

  it('refuses a wrong secret, a missing one, and a username that is not the client id', async () => {
    await expect(connectDevice(vigil, 'wear-a', { password: 'not-the-secret' })).rejects.toThrow(
      /Not authorized/i,
    );
    await expect(connectDevice(vigil, 'wear-a', { password: undefined })).rejects.toThrow(
      /Not authorized/i,
    );
    await expect(connectDevice(vigil, 'wear-a', { username: 'wear-b' })).rejects.toThrow(
      /Not authorized/i,
    );
    expect((await connect('wear-a')).connected).toBe(true);
  });

  it("does not let a device subscribe to another device's topics, wildcards or $SYS", async () => {
    const a = await connect('wear-a');
    // SUBACK 0x80 for each refused filter, which mqtt.js reports as a failed subscription.
    for (const topic of ['devices/wear-b/errors', 'devices/#', '$SYS/#', '#']) {
      await expect(a.subscribeAsync(topic, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    }
    expect(await a.subscribeAsync('devices/wear-a/errors', { qos: 1 })).toEqual([
      expect.objectContaining({ topic: 'devices/wear-a/errors', qos: 1 }),
    ]);
    expect(a.connected).toBe(true);
  });

  it('never shows a secret or its hash again', async () => {
    const devices = (await (await vigil.fetch(`/api/devices`)).json()) as Record<string, unknown>[];
    expect(devices.every((device) => !('secret' in device) && !('secretHash' in device))).toBe(
      true,
    );
  });

  it('disconnects a device at once when its secret is rotated, and takes only the new secret', async () => {
    const oldSecret = vigil.secrets.get('wear-b') as string;
    const b = await connect('wear-b');
    const dropped = closed(b);
    const rotated = await vigil.post(`/api/devices/wear-b/secret`, {});
    expect(rotated.status).toBe(200);
    await dropped;
    const newSecret = (rotated.body as { secret: string }).secret;
    expect(newSecret).not.toBe(oldSecret);
    await expect(connectDevice(vigil, 'wear-b', { password: oldSecret })).rejects.toThrow(
      /Not authorized/i,
    );
    vigil.secrets.set('wear-b', newSecret);
    expect((await connect('wear-b')).connected).toBe(true);
  });

  it('disconnects a revoked device at once and refuses it afterwards', async () => {
    const a = await connect('wear-a');
    const dropped = closed(a);
    const revoked = await vigil.fetch(`/api/devices/wear-a/revoke`, { method: 'POST' });
    expect(revoked.status).toBe(204);
    await dropped;
    await expect(connectDevice(vigil, 'wear-a')).rejects.toThrow(/Not authorized/i);
    expect((await vigil.post(`/api/devices/nobody/revoke`, {})).status).toBe(404);
    const audit = (await (await vigil.fetch(`/api/audit?subject=wear-a`)).json()) as {
      action: string;
      actor: string;
    }[];
    expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
      ['device.registered', 'admin'],
      ['device.secret-revoked', 'admin'],
    ]);
  });
});

/** A Vigil started with `env` and devices wear-{prefix}1 and -2 bound, for one describe block. */
function vigilWithTwoDevices(env: Record<string, string>, prefix: string) {
  const context = { vigil: undefined as unknown as VigilHarness, opened: [] as MqttClient[] };
  beforeAll(async () => {
    context.vigil = await startVigil(env);
    for (const n of [1, 2]) {
      const patient = { id: `p-${prefix}${n}`, name: `Patient ${prefix}${n}`, ward: 'ward-1' };
      await admitPatientWithDevice(context.vigil, patient, `wear-${prefix}${n}`);
    }
  });
  afterAll(async () => {
    for (const client of context.opened) client.end(true);
    await context.vigil?.stop({ removeData: true });
  });
  return context;
}

describe('limits', () => {
  const context = vigilWithTwoDevices({ MQTT_MAX_PAYLOAD_BYTES: '4096' }, 'l');

  it('closes the connection of a device that sends a huge packet, and keeps serving the others', async () => {
    const { vigil, opened } = context;
    const [huge, steady] = [
      await connectDevice(vigil, 'wear-l1'),
      await connectDevice(vigil, 'wear-l2'),
    ];
    opened.push(huge, steady);
    const dropped = new Promise<void>((resolve) => huge.once('close', () => resolve()));
    huge.publish('devices/wear-l1/vitals', Buffer.alloc(5 * 1024 * 1024, 0x7b), { qos: 0 });
    await dropped;
    const sample = JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 71 } });
    await steady.publishAsync('devices/wear-l2/vitals', sample, { qos: 1 });
    const patient = (await (await vigil.fetch(`/api/patients/p-l2`)).json()) as {
      latest: unknown;
    };
    expect(patient.latest).toMatchObject({ vitals: { heartRate: 71 } });
  });
});

describe('a flooding device', () => {
  const context = vigilWithTwoDevices({ MQTT_MAX_MESSAGES_PER_SECOND: '20' }, 'f');

  it('gets its excess refused with a reason, while another device is served at once', async () => {
    const { vigil, opened } = context;
    const [flood, steady] = [
      await connectDevice(vigil, 'wear-f1'),
      await connectDevice(vigil, 'wear-f2'),
    ];
    opened.push(flood, steady);
    await flood.subscribeAsync('devices/wear-f1/errors', { qos: 1 });
    const reasons: string[] = [];
    flood.on('message', (_topic, payload) =>
      reasons.push((JSON.parse(payload.toString()) as { code: string }).code),
    );
    const start = Date.now() - 10_000;
    for (let i = 0; i < 2_000; i++) {
      flood.publish(
        'devices/wear-f1/vitals',
        JSON.stringify({ ts: start + i, seq: i, vitals: { heartRate: 70 } }),
        { qos: 0 },
      );
    }
    const before = Date.now();
    await steady.publishAsync(
      'devices/wear-f2/vitals',
      JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 66 } }),
      { qos: 1 },
    );
    const steadyAckMs = Date.now() - before;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Told once a second, not once per refused message: a reply per message turns a flood into
    // as many publishes, which overflowed aedes' emitter (test/overload.e2e-spec.ts).
    expect(reasons.length).toBeGreaterThanOrEqual(1);
    expect(reasons.length).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - before) / 1_000));
    expect(new Set(reasons)).toEqual(new Set(['DEVICE.RATE_LIMITED']));
    expect(steadyAckMs).toBeLessThan(1_000);
    // Every refused message is still counted.
    const metrics = await (await vigil.fetch(`/metrics`)).text();
    expect(metrics).toMatch(/vigil_messages_rejected_total\{code="DEVICE.RATE_LIMITED"\} \d{4}/);
  });
});
