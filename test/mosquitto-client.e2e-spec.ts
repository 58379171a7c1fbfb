// Proves the broker serves a client that is not mqtt.js: Debian's mosquitto_pub (mosquitto-clients).
import type { Alert, VitalsEvent } from '@vigil/contracts';
import { execFile } from 'node:child_process';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  nextEvent,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

interface RunResult {
  readonly code: number;
  readonly output: string;
}

function mosquittoPub(port: number, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'mosquitto_pub',
      ['-h', '127.0.0.1', '-p', String(port), ...args],
      { timeout: 10_000 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new Error(
              'mosquitto_pub is not installed: apt-get install mosquitto-clients (.ci/run does)',
            ),
          );
          return;
        }
        resolve({
          code: typeof error?.code === 'number' ? error.code : 0,
          output: `${stdout}${stderr}`,
        });
      },
    );
  });
}

/** mosquitto_pub options for wear-m1 publishing its vitals with `password` at `qos`. */
function asWearable(password: string, qos: 0 | 1): string[] {
  return [
    '-i',
    'wear-m1',
    '-u',
    'wear-m1',
    '-P',
    password,
    '-q',
    String(qos),
    '-t',
    'devices/wear-m1/vitals',
  ];
}

describe('mosquitto_pub as the wearable', () => {
  let vigil: VigilHarness;
  let nurse: Socket;
  let secret: string;

  beforeAll(async () => {
    vigil = await startVigil();
    secret = await admitPatientWithDevice(
      vigil,
      { id: 'p-m1', name: 'Mary Seacole', ward: 'ward-1' },
      'wear-m1',
    );
    nurse = await connectConsole(vigil);
  });

  afterAll(async () => {
    nurse?.close();
    await vigil?.stop({ removeData: true });
  });

  it('delivers a QoS 1 sample as live vitals and a breach as an alert', async () => {
    const ts = Date.now();
    const live = nextEvent<VitalsEvent>(nurse, 'vitals', (event) => event.vitals.heartRate === 142);
    const raised = nextEvent<Alert>(
      nurse,
      'alert:raised',
      (alert) => alert.rule === 'heartRate.above',
    );
    const sent = await mosquittoPub(vigil.mqttPort, [
      ...asWearable(secret, 1),
      // Two samples 11 s apart in device time: past the 10 s heart-rate sustain time.
      ...[
        '-m',
        JSON.stringify({
          samples: [
            { ts: ts - 11_000, seq: 1, vitals: { heartRate: 140 } },
            { ts, seq: 2, vitals: { heartRate: 142, spo2: 95 } },
          ],
        }),
      ],
    ]);
    expect(sent).toEqual({ code: 0, output: '' });
    expect(await live).toMatchObject({ patientId: 'p-m1', vitals: { heartRate: 142, spo2: 95 } });
    expect(await raised).toMatchObject({
      rule: 'heartRate.above',
      value: 142,
      threshold: 130,
      priority: 'high',
      ts: new Date(ts).toISOString(),
    });
  });

  it('delivers a QoS 0 batch', async () => {
    const start = Date.now() - 5_000;
    const samples = [0, 1].map((i) => ({
      ts: start + i * 1000,
      seq: 10 + i,
      vitals: { respRate: 15 + i },
    }));
    const live = nextEvent<VitalsEvent>(nurse, 'vitals', (event) => event.vitals.respRate === 16);
    const sent = await mosquittoPub(vigil.mqttPort, [
      ...asWearable(secret, 0),
      ...['-m', JSON.stringify({ samples })],
    ]);
    expect(sent.code).toBe(0);
    await live;
  });

  it('refuses an unregistered client id, and a registered one with a wrong secret, as not authorized', async () => {
    const wrong = await mosquittoPub(vigil.mqttPort, [
      ...asWearable(`${secret}x`, 1),
      ...['-m', JSON.stringify({ ts: Date.now(), seq: 99, vitals: { heartRate: 80 } })],
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toMatch(/not authori[sz]ed/i);
    const sent = await mosquittoPub(vigil.mqttPort, [
      ...['-i', 'wear-nobody', '-q', '1', '-t', 'devices/wear-nobody/vitals'],
      ...['-m', JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 80 } })],
    ]);
    expect(sent.code).not.toBe(0);
    expect(sent.output).toMatch(/not authori[sz]ed/i);
  });
});
