import type { VitalValues } from '@vigil/contracts';
import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';

export const WEEK_MS = 7 * 86_400_000;

/**
 * A week of 1 Hz samples of one patient, written straight into a running Vigil's embedded file
 * (as a week of wearing would have): the most a history read may cover. Answers their number.
 */
export function fillWeekOfSamples(dataDir: string, patientId: string, deviceId: string): number {
  const db = new Database(join(dataDir, 'vigil.db'));
  db.pragma('busy_timeout = 30000');
  const insert = db.prepare(
    'INSERT INTO samples (device_id, ts, patient_id, seq, body) VALUES (?, ?, ?, ?, ?)',
  );
  const start = Date.now() - WEEK_MS;
  const count = WEEK_MS / 1000;
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const vitals: VitalValues = {
        heartRate: 70 + (i % 7),
        spo2: 97,
        respRate: 14,
        systolicBp: 121,
      };
      insert.run(deviceId, start + i * 1000, patientId, i, JSON.stringify({ vitals, battery: 80 }));
    }
  })();
  db.close();
  return count;
}
