// Proves an alarm never waits for the disk. While another process holds vigil.db's write lock (to
// Vigil, a database that does not commit), a wearable's breach still reaches the nurse's console
// at once, while its PUBACK waits until the sample is durable. When the lock outlasts the writer's
// busy timeout the write fails: the device is not acknowledged, sends again, and the sample is
// stored then, evaluated once and alerting once. Real aedes on a port, mqtt.js, Socket.IO, SQLite.
import type { Alert, VitalsEvent } from '@vigil/contracts';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Socket } from 'socket.io-client';
import { join } from 'node:path';
import { holdWriteLock } from './support/sqlite-lock';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  recordEvents,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition() && Date.now() < deadline) await sleep(100);
}
/** better-sqlite3's default busy timeout, which the writer thread keeps. */
const BUSY_TIMEOUT_MS = 5_000;
/** Systolic pressure of 82 mmHg raises a high-priority alert with no sustain time. */
const LOW_PRESSURE = { systolicBp: 82 };

describe('a database that does not commit delays no alarm', () => {
  let vigil: VigilHarness;
  let nurse: Socket;
  const database = () => join(vigil.dataDir, 'vigil.db');

  beforeAll(async () => {
    vigil = await startVigil();
    nurse = await connectConsole(vigil);
  });

  afterAll(async () => {
    nurse?.close();
    await vigil?.stop({ removeData: true });
  });

  const stored = (deviceId: string, ts: number, alertId: string) => {
    const db = new Database(database(), { readonly: true });
    try {
      return {
        sample: db
          .prepare('SELECT 1 FROM samples WHERE device_id = ? AND ts = ?')
          .get(deviceId, ts),
        alert: db.prepare('SELECT 1 FROM alerts WHERE id = ?').get(alertId),
      };
    } finally {
      db.close();
    }
  };

  it('raises the alert at once and acknowledges the sample once the lock is gone', async () => {
    await admitPatientWithDevice(
      vigil,
      { id: 'p-stall', name: 'Stall', ward: 'ward-1' },
      'w-stall',
    );
    const device = await connectDevice(vigil, 'w-stall');
    const lock = await holdWriteLock(database());
    const raised = nextEvent<Alert>(nurse, 'alert:raised', (a) => a.patientId === 'p-stall');
    const ts = Date.now();
    let acknowledgedAt: number | undefined;
    const published = device
      .publishAsync(
        'devices/w-stall/vitals',
        JSON.stringify({ ts, seq: 1, vitals: LOW_PRESSURE }),
        {
          qos: 1,
        },
      )
      .then(() => (acknowledgedAt = Date.now()));
    let alert: Alert;
    try {
      alert = await raised;
      expect(Date.now() - ts).toBeLessThan(1_000);
      await sleep(1_500);
      // Not durable, so not acknowledged.
      expect(acknowledgedAt).toBeUndefined();
    } finally {
      await lock.release();
    }
    await published;
    expect(stored('w-stall', ts, alert.id)).toEqual({ sample: { 1: 1 }, alert: { 1: 1 } });
    await device.endAsync();
  });

  it(
    'takes the sample again after a failed write, evaluating it once and alerting once',
    async () => {
      await admitPatientWithDevice(vigil, { id: 'p-fail', name: 'Fail', ward: 'ward-1' }, 'w-fail');
      // A wearable keeps what was not acknowledged and sends it again when it reconnects.
      const device = await connectDevice(vigil, 'w-fail', { reconnectPeriod: 200, clean: false });
      const vitals = recordEvents<VitalsEvent>(nurse, 'vitals');
      const alerts = recordEvents<Alert>(nurse, 'alert:raised');
      const lock = await holdWriteLock(database());
      const ts = Date.now();
      const published = device.publishAsync(
        'devices/w-fail/vitals',
        JSON.stringify({ ts, seq: 1, vitals: LOW_PRESSURE }),
        { qos: 1 },
      );
      const dropped = new Promise<void>((resolve) => device.once('close', () => resolve()));
      try {
        await sleep(1_000);
        expect(alerts.events.filter((a) => a.patientId === 'p-fail')).toHaveLength(1);
        // The write gives up after the busy timeout; the connection closes unacknowledged.
        await dropped;
        const metrics = await (await vigil.fetch('/metrics')).text();
        const unwritten = /^vigil_alert_events_unwritten (\d+)$/m.exec(metrics)?.[1];
        expect(Number(unwritten)).toBeGreaterThan(0);
      } finally {
        await lock.release();
      }
      await published;
      await sleep(500);
      vitals.stop();
      alerts.stop();
      const mine = alerts.events.filter((a) => a.patientId === 'p-fail');
      expect(mine).toHaveLength(1);
      expect(vitals.events.filter((event) => event.patientId === 'p-fail')).toHaveLength(1);
      // The alert's event, whose first write failed with the sample's, is written on a retry.
      await until(() => stored('w-fail', ts, mine[0].id).alert !== undefined, 5_000);
      expect(stored('w-fail', ts, mine[0].id)).toEqual({ sample: { 1: 1 }, alert: { 1: 1 } });
      await device.endAsync();
    },
    BUSY_TIMEOUT_MS + 15_000,
  );
});
