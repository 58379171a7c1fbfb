import type { Alert, AlertEvent, Sample } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import type { SampleQuery, StoreHealth, TelemetryStore } from './telemetry-store.port';

interface SampleRow {
  device_id: string;
  ts: number;
  patient_id: string;
  seq: number;
  body: string;
}

type SampleBody = Pick<Sample, 'vitals' | 'consciousness' | 'onOxygen' | 'battery'>;

interface PendingWrite {
  readonly samples: readonly Sample[];
  readonly events: readonly AlertEvent[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The embedded TelemetryStore on SQLite. Writes arriving in the same turn of the event loop are
 * committed together (group commit), so one fsync covers many devices' samples.
 */
export class SqliteTelemetryStore implements TelemetryStore {
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private readonly insertSample;
  private readonly upsertAlert;
  private readonly insertAlertEvent;
  private readonly commit;

  constructor(private readonly db: EmbeddedDatabase) {
    this.insertSample = db.prepare(
      'INSERT OR IGNORE INTO samples (device_id, ts, patient_id, seq, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.upsertAlert = db.prepare(
      'INSERT INTO alerts (id, patient_id, state, body) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body',
    );
    this.insertAlertEvent = db.prepare(
      'INSERT INTO alert_events (alert_id, kind, at, body) VALUES (?, ?, ?, ?)',
    );
    this.commit = db.transaction((writes: readonly PendingWrite[]) => {
      for (const write of writes) {
        for (const sample of write.samples) this.insertSampleRow(sample);
        for (const event of write.events) this.insertAlertEventRows(event);
      }
    });
  }

  writeSamples(samples: readonly Sample[]): Promise<void> {
    return this.enqueue(samples, []);
  }

  writeAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    return this.enqueue([], events);
  }

  async querySamples(query: SampleQuery): Promise<Sample[]> {
    const rows = this.db
      .prepare(
        'SELECT * FROM samples WHERE patient_id = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT ?',
      )
      .all(query.patientId, query.from, query.to, query.limit ?? -1) as SampleRow[];
    return rows.map(toSample);
  }

  async latestSample(patientId: string): Promise<Sample | undefined> {
    const row = this.db
      .prepare('SELECT * FROM samples WHERE patient_id = ? ORDER BY ts DESC LIMIT 1')
      .get(patientId) as SampleRow | undefined;
    return row && toSample(row);
  }

  async activeAlerts(): Promise<Alert[]> {
    const rows = this.db.prepare("SELECT body FROM alerts WHERE state = 'active'").all() as {
      body: string;
    }[];
    return rows.map((row) => JSON.parse(row.body) as Alert);
  }

  async health(): Promise<StoreHealth> {
    try {
      this.db.prepare('SELECT 1').get();
      return { status: 'up', adapter: 'embedded' };
    } catch (error) {
      return { status: 'down', adapter: 'embedded', detail: String(error) };
    }
  }

  async close(): Promise<void> {
    this.flush();
    this.db.close();
  }

  private enqueue(samples: readonly Sample[], events: readonly AlertEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ samples, events, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const writes = this.pending;
    if (writes.length === 0) return;
    this.pending = [];
    try {
      this.commit(writes);
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    }
    for (const write of writes) write.resolve();
  }

  private insertSampleRow(sample: Sample): void {
    const body: SampleBody = {
      vitals: sample.vitals,
      consciousness: sample.consciousness,
      onOxygen: sample.onOxygen,
      battery: sample.battery,
    };
    this.insertSample.run(
      sample.deviceId,
      sample.ts,
      sample.patientId,
      sample.seq,
      JSON.stringify(body),
    );
  }

  private insertAlertEventRows(event: AlertEvent): void {
    const { alert } = event;
    const body = JSON.stringify(alert);
    this.upsertAlert.run(alert.id, alert.patientId, alert.state, body);
    this.insertAlertEvent.run(alert.id, event.kind, event.at, body);
  }
}

function toSample(row: SampleRow): Sample {
  const body = JSON.parse(row.body) as SampleBody;
  return { patientId: row.patient_id, deviceId: row.device_id, ts: row.ts, seq: row.seq, ...body };
}
