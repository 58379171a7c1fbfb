import type { AlertEvent, Sample } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import { EmbeddedAlertState } from './embedded-alert.store';

/** What one caller asked to make durable; a group commit holds many. */
export interface EmbeddedWrite {
  readonly samples?: readonly Sample[];
  readonly events?: readonly AlertEvent[];
  /** Patient id and the rules engine's state as JSON. */
  readonly ruleStates?: readonly (readonly [string, string])[];
}

export type SampleBody = Pick<Sample, 'vitals' | 'consciousness' | 'onOxygen' | 'battery'>;

/**
 * The one transaction of a group commit: samples (a repeat of device and timestamp is ignored),
 * alert events and rule states, in the order they were asked for. Runs on Vigil's main thread
 * for an in-memory database, otherwise on the writer thread (embedded-database-thread.worker.ts).
 */
export function prepareEmbeddedCommit(
  db: EmbeddedDatabase,
): (writes: readonly EmbeddedWrite[]) => void {
  const insertSample = db.prepare(
    'INSERT OR IGNORE INTO samples (device_id, ts, patient_id, seq, body) VALUES (?, ?, ?, ?, ?)',
  );
  const upsertRuleState = db.prepare(
    'INSERT INTO rule_state (patient_id, body) VALUES (?, ?) ON CONFLICT (patient_id) DO UPDATE SET body = excluded.body',
  );
  const alertState = new EmbeddedAlertState(db);
  const insertSampleRow = (sample: Sample) => {
    const body: SampleBody = {
      vitals: sample.vitals,
      consciousness: sample.consciousness,
      onOxygen: sample.onOxygen,
      battery: sample.battery,
    };
    insertSample.run(
      sample.deviceId,
      sample.ts,
      sample.patientId,
      sample.seq,
      JSON.stringify(body),
    );
  };
  return db.transaction((writes: readonly EmbeddedWrite[]) => {
    for (const write of writes) {
      for (const sample of write.samples ?? []) insertSampleRow(sample);
      for (const event of write.events ?? []) alertState.record(event);
      for (const [patientId, body] of write.ruleStates ?? []) upsertRuleState.run(patientId, body);
    }
  });
}
