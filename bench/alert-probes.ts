import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { VigilClient } from '@vigil/client';
import { BENCH_ADMIN_PASSWORD } from './servers';

/** A probe not answered within this long counts as that long (a build that cannot keep up). */
const PROBE_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface AlertProbes {
  /**
   * `count` probes, 250 ms apart: each admits a patient on the ward, connects her wearable, sends
   * systolic 82 mmHg (a high alert at once) and times it to `alert:raised` on a nurse's console.
   */
  measure(count: number): Promise<number[]>;
  close(): void;
}

/** Probes of how long an alert takes to reach a signed-in nurse's console on `ward`. */
export async function alertProbes(
  httpUrl: string,
  mqttUrl: string,
  admin: VigilClient,
  ward: string,
): Promise<AlertProbes> {
  await admin.createUser({
    username: 'bench-nurse',
    displayName: 'Bench nurse',
    role: 'nurse',
    wards: [ward],
    password: BENCH_ADMIN_PASSWORD,
  });
  const nurse = new VigilClient(httpUrl);
  await nurse.signIn('bench-nurse', BENCH_ADMIN_PASSWORD);
  const socket: Socket = io(`${httpUrl}/care`, {
    transports: ['websocket'],
    auth: { token: nurse.accessToken },
  });
  const waiting = new Map<string, () => void>();
  socket.on('alert:raised', (alert: { deviceId: string }) => waiting.get(alert.deviceId)?.());
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let probe = 0;
  return {
    async measure(count) {
      const latencies: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const deviceId = `w-probe-${++probe}`;
        const secret = await admin.admit({
          id: `p-probe-${probe}`,
          name: `Probe ${probe}`,
          ward,
          deviceId,
        });
        const device = await mqtt.connectAsync(mqttUrl, {
          clientId: deviceId,
          username: deviceId,
          password: secret,
          reconnectPeriod: 0,
        });
        const seen = Promise.race([
          new Promise<void>((resolve) => waiting.set(deviceId, resolve)),
          sleep(PROBE_TIMEOUT_MS),
        ]);
        const sent = performance.now();
        await device.publishAsync(
          `devices/${deviceId}/vitals`,
          JSON.stringify({ ts: Date.now(), seq: 1, vitals: { systolicBp: 82 } }),
          { qos: 1 },
        );
        await seen;
        latencies.push(performance.now() - sent);
        await device.endAsync();
        await sleep(250);
      }
      return latencies;
    },
    close: () => socket.close(),
  };
}
