// Proves the whole line with real clients: HTTP admission, a real mqtt.js wearable, the real
// aedes broker, the embedded store and a real Socket.IO console on /care.
import type { Alert, VitalsEvent } from '@vigil/contracts';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import type { MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { connect } from 'node:net';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  nextMessage,
  openConsole,
  recordEvents,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('a vital sign travels from a wearable to the care console', () => {
  let vigil: VigilHarness;
  let nurse: Socket;
  let wearable: MqttClient;
  let seq = 0;
  const sample = (vitals: Record<string, unknown>, ts = Date.now()) =>
    JSON.stringify({ ts, seq: ++seq, vitals });

  beforeAll(async () => {
    vigil = await startVigil({ API_DOCS: 'true' });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-100', name: 'Grace Hopper', ward: 'ward-3' },
      'wear-100',
    );
    nurse = await connectConsole(vigil);
    wearable = await connectDevice(vigil, 'wear-100');
    await wearable.subscribeAsync('devices/wear-100/errors', { qos: 1 });
  });

  afterAll(async () => {
    nurse?.close();
    await wearable?.endAsync();
    await vigil?.stop({ removeData: true });
  });

  describe('admission over HTTP', () => {
    it('refuses a duplicate patient with 409 and a bad body with 400 and its reasons', async () => {
      const duplicate = await vigil.post(`/api/patients`, {
        id: 'p-100',
        name: 'Again',
        ward: 'ward-3',
      });
      expect(duplicate.status).toBe(409);
      const bad = await vigil.post(`/api/patients`, { id: 'has space', ward: 7 });
      expect(bad.status).toBe(400);
      const reasons = (bad.body as { message: string[] }).message.join('\n');
      expect(reasons).toMatch(/id must be/);
      expect(reasons).toMatch(/name/);
      expect(reasons).toMatch(/ward/);
    });

    it('refuses to bind a device to a patient who was never admitted', async () => {
      const response = await vigil.post(`/api/devices`, {
        id: 'wear-x',
        patientId: 'nobody',
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'PATIENT.UNKNOWN' });
      const duplicate = await vigil.post(`/api/devices`, {
        id: 'wear-100',
        patientId: 'p-100',
      });
      expect(duplicate.status).toBe(409);
    });
  });

  it('pushes a valid sample to the console as live vitals', async () => {
    const live = nextEvent<VitalsEvent>(nurse, 'vitals', (event) => event.vitals.heartRate === 77);
    await wearable.publishAsync('devices/wear-100/vitals', sample({ heartRate: 77, spo2: 98 }), {
      qos: 1,
    });
    expect(await live).toMatchObject({
      patientId: 'p-100',
      deviceId: 'wear-100',
      vitals: { heartRate: 77, spo2: 98 },
    });
  });

  it('raises one alert with what a nurse needs once SpO2 stays low for 15 s, and not a second for the repeat', async () => {
    // Device time: low at T-17 s and still low at T-1 s, past the 15 s SpO2 sustain time.
    const breachTs = Date.now() - 1_000;
    const raised = recordEvents<Alert>(nurse, 'alert:raised');
    const first = nextEvent<Alert>(nurse, 'alert:raised', (alert) => alert.vital === 'spo2');
    await wearable.publishAsync(
      'devices/wear-100/vitals',
      sample({ spo2: 87 }, breachTs - 16_000),
      { qos: 1 },
    );
    await wearable.publishAsync(
      'devices/wear-100/vitals',
      sample({ spo2: 86, heartRate: 96 }, breachTs),
      { qos: 1 },
    );
    const alert = await first;
    expect(alert).toMatchObject({
      patientId: 'p-100',
      deviceId: 'wear-100',
      rule: 'spo2.below',
      vital: 'spo2',
      value: 86,
      threshold: 92,
      priority: 'high',
      state: 'active',
      ts: new Date(breachTs).toISOString(),
    });
    expect(alert.id).toEqual(expect.any(String));
    expect(Date.parse(alert.raisedAt)).toBeGreaterThan(breachTs);

    const repeatSeen = nextEvent<VitalsEvent>(nurse, 'vitals', (event) => event.vitals.spo2 === 85);
    await wearable.publishAsync('devices/wear-100/vitals', sample({ spo2: 85 }), { qos: 1 });
    await repeatSeen;
    await new Promise((resolve) => setTimeout(resolve, 200));
    raised.stop();
    expect(raised.events.filter((event) => event.vital === 'spo2')).toHaveLength(1);

    const open = (await (await vigil.fetch(`/api/alerts?state=open`)).json()) as Alert[];
    expect(open.find((listed) => listed.id === alert.id)).toMatchObject({
      count: 2,
      lastValue: 85,
      worstValue: 85,
    });
  });

  it('gives a console that connects later the alerts already active', async () => {
    const lateNurse = openConsole(vigil);
    try {
      const replayed = nextEvent<Alert>(
        lateNurse,
        'alert:raised',
        (alert) => alert.vital === 'spo2',
      );
      await connectConsole(vigil, lateNurse);
      expect(await replayed).toMatchObject({ patientId: 'p-100', state: 'active' });
    } finally {
      lateNurse.close();
    }
  });

  it.each([
    ['malformed JSON', '{"ts": 1, "seq": ', 'TELEMETRY.MALFORMED_JSON', /not JSON/],
    [
      'a wrong type',
      () => sample({ heartRate: 'fast' }),
      'TELEMETRY.SCHEMA_INVALID',
      /vitals\.heartRate must be a number/,
    ],
    [
      'an out-of-range value',
      () => sample({ spo2: 140 }),
      'TELEMETRY.OUT_OF_RANGE',
      /vitals\.spo2 must not be greater than 100/,
    ],
    [
      'an unknown vital',
      () => sample({ heartrate: 80 }),
      'TELEMETRY.SCHEMA_INVALID',
      /heartrate should not exist/,
    ],
    [
      'a timestamp an hour ahead',
      () => sample({ heartRate: 80 }, Date.now() + 3_600_000),
      'TELEMETRY.TIMESTAMP_INVALID',
      /future/,
    ],
    [
      'an oversized payload',
      () => 'x'.repeat(100 * 1024),
      'TELEMETRY.PAYLOAD_TOO_LARGE',
      /limit is 65536/,
    ],
  ])(
    'answers %s on the errors topic and still takes the next valid sample',
    async (_case, payload, code, detail) => {
      const answer = nextMessage(wearable, 'devices/wear-100/errors');
      await wearable.publishAsync(
        'devices/wear-100/vitals',
        typeof payload === 'function' ? payload() : payload,
        { qos: 1 },
      );
      const rejection = await answer;
      expect(rejection.code).toBe(code);
      expect((rejection.detail as string[]).join('\n')).toMatch(detail);

      const marker = 60 + seq;
      const live = nextEvent<VitalsEvent>(
        nurse,
        'vitals',
        (event) => event.vitals.heartRate === marker,
      );
      await wearable.publishAsync('devices/wear-100/vitals', sample({ heartRate: marker }), {
        qos: 1,
      });
      await live;
    },
  );

  it('accepts a batch of samples and stores every one of them', async () => {
    const start = Date.now() - 10_000;
    const samples = [0, 1, 2].map((i) => ({
      ts: new Date(start + i * 1000).toISOString(),
      seq: ++seq,
      vitals: { respRate: 14 + i },
    }));
    const live = nextEvent<VitalsEvent>(nurse, 'vitals', (event) => event.vitals.respRate === 16);
    await wearable.publishAsync('devices/wear-100/vitals', JSON.stringify({ samples }), { qos: 1 });
    await live;
    const metrics = await (await vigil.fetch(`/metrics`)).text();
    expect(metrics).toMatch(/vigil_messages_rejected_total\{code="TELEMETRY.OUT_OF_RANGE"\} 1/);
    expect(metrics).toMatch(/^vigil_event_loop_utilization (0|1)\.\d{3}$/m);
    expect(metrics).toMatch(/^vigil_event_loop_delay_p99_seconds \d+\.\d{4}$/m);
    expect(metrics).toMatch(/^vigil_gc_pause_seconds_total \d+\.\d{3}$/m);
    expect(metrics).toMatch(/^vigil_gc_pause_max_seconds \d+\.\d{4}$/m);
  });

  it('refuses a CONNECT with a wrong secret and lets nothing sent behind it through', async () => {
    // A bound device's id with a wrong secret, and a PUBLISH sent right behind the CONNECT
    // without waiting for the CONNACK: were the secret not checked, this sample would be stored.
    const vitals = recordEvents<VitalsEvent>(nurse, 'vitals');
    const socket = connect(vigil.mqttPort, '127.0.0.1');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const connack = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        keepalive: 30,
        clientId: 'wear-100',
        username: 'wear-100',
        password: Buffer.from('not-the-secret'),
      }),
    );
    socket.write(
      generate({
        cmd: 'publish',
        topic: 'devices/wear-100/vitals',
        payload: sample({ heartRate: 41 }),
        qos: 0,
        retain: false,
        dup: false,
      }),
    );
    // CONNACK, return code 5 (not authorized) [MQTT-3.2.2-3], then the broker closes.
    expect([...(await connack)]).toEqual([0x20, 0x02, 0x00, 0x05]);
    await closed;
    // The genuine device's next sample arrives: anything sent before it would have, too.
    const control = nextEvent<VitalsEvent>(
      nurse,
      'vitals',
      (event) => event.vitals.heartRate === 73,
    );
    await wearable.publishAsync('devices/wear-100/vitals', sample({ heartRate: 73 }), { qos: 1 });
    await control;
    vitals.stop();
    expect(vitals.events.filter((event) => event.vitals.heartRate === 41)).toEqual([]);
    const stored = await vigil.app
      .get<TelemetryStore>(TELEMETRY_STORE)
      .querySamples({ patientId: 'p-100', from: 0, to: Date.now() + 1 });
    expect(stored.filter((kept) => kept.vitals.heartRate === 41)).toEqual([]);
    expect(stored.filter((kept) => kept.seq === seq)).toMatchObject([
      { vitals: { heartRate: 73 } },
    ]);
  });

  it("disconnects a device that publishes on another device's topic and stores nothing of it", async () => {
    await admitPatientWithDevice(
      vigil,
      { id: 'p-200', name: 'Alan Turing', ward: 'ward-3' },
      'wear-200',
    );
    const intruder = await connectDevice(vigil, 'wear-200');
    const vitals = recordEvents<VitalsEvent>(nurse, 'vitals');
    const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    intruder.publish('devices/wear-100/vitals', sample({ heartRate: 199 }), { qos: 1 });
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    vitals.stop();
    expect(vitals.events.filter((event) => event.vitals.heartRate === 199)).toEqual([]);
    intruder.end(true);
  });

  it('serves its OpenAPI document', async () => {
    const document = (await (await vigil.fetch(`/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/patients',
        '/api/devices',
        '/api/alerts/{id}/ack',
        '/api/patients/{id}/vitals',
      ]),
    );
  });

  it('reports the broker and the store up on /health', async () => {
    const response = await vigil.fetch(`/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      broker: { status: 'up' },
      store: { status: 'up' },
    });
  });
});
