import type { AlertEvent, Sample } from '@vigil/contracts';
import { writeTransaction, type EmbeddedDatabase } from './embedded-database';
import { EmbeddedAlertState } from './embedded-alert.store';
import type { NewHl7Message } from './hl7-outbox.port';

/** A change to the outbound HL7 interface's state (embedded-hl7-outbox.ts). */
export type Hl7OutboxWrite =
  | {
      readonly kind: 'chart';
      readonly patientId: string;
      readonly chartedUntil: number;
      readonly message?: NewHl7Message;
    }
  | { readonly kind: 'acknowledged'; readonly seq: number }
  | {
      readonly kind: 'failed';
      readonly seq: number;
      readonly nextAttemptAt: number;
      readonly error: string;
    };

/** What one caller asked to make durable; a group commit holds many. */
export interface EmbeddedWrite {
  readonly samples?: readonly Sample[];
  readonly events?: readonly AlertEvent[];
  /** Patient id and the rules engine's state as JSON. */
  readonly ruleStates?: readonly (readonly [string, string])[];
  readonly hl7?: readonly Hl7OutboxWrite[];
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
  const hl7 = prepareHl7OutboxWrite(db);
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
  return writeTransaction(db, (writes: readonly EmbeddedWrite[]) => {
    for (const write of writes) {
      for (const sample of write.samples ?? []) insertSampleRow(sample);
      for (const event of write.events ?? []) alertState.record(event);
      for (const [patientId, body] of write.ruleStates ?? []) upsertRuleState.run(patientId, body);
      for (const change of write.hl7 ?? []) hl7(change);
    }
  });
}

function prepareHl7OutboxWrite(db: EmbeddedDatabase): (change: Hl7OutboxWrite) => void {
  const mark = db.prepare(
    `INSERT INTO hl7_marks (patient_id, charted_until) VALUES (?, ?)
     ON CONFLICT (patient_id) DO UPDATE SET charted_until = excluded.charted_until`,
  );
  const queue = db.prepare(
    `INSERT OR IGNORE INTO hl7_outbox
       (patient_id, ward, control_id, message, queued_at, attempts, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, 0, ?)`,
  );
  const remove = db.prepare('DELETE FROM hl7_outbox WHERE seq = ?');
  const fail = db.prepare(
    'UPDATE hl7_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?',
  );
  return (change) => {
    if (change.kind === 'acknowledged') remove.run(change.seq);
    else if (change.kind === 'failed') fail.run(change.nextAttemptAt, change.error, change.seq);
    else {
      mark.run(change.patientId, change.chartedUntil);
      const { message } = change;
      if (message)
        queue.run(
          change.patientId,
          message.ward,
          message.controlId,
          message.message,
          message.queuedAt,
          message.queuedAt,
        );
    }
  };
}
