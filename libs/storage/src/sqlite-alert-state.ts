import type { Alert } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';

/**
 * The last known state of every alert, kept in the embedded database whichever adapter stores
 * telemetry, so a restart restores active alerts even while InfluxDB is unreachable.
 */
export class SqliteAlertState {
  private readonly upsert;
  private readonly selectActive;

  constructor(db: EmbeddedDatabase) {
    this.upsert = db.prepare(
      'INSERT INTO alerts (id, patient_id, state, body) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body',
    );
    this.selectActive = db.prepare("SELECT body FROM alerts WHERE state = 'active'");
  }

  /** Call inside the transaction that records the event. */
  record(alert: Alert): void {
    this.upsert.run(alert.id, alert.patientId, alert.state, JSON.stringify(alert));
  }

  active(): Alert[] {
    return (this.selectActive.all() as { body: string }[]).map(
      (row) => JSON.parse(row.body) as Alert,
    );
  }
}
