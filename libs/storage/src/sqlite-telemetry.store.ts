import type { AlertEvent, Sample } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import { GroupCommit } from './group-commit';
import { LocalAlertState } from './sqlite-alert-state';
import { downsample } from './downsample';
import type {
  HistoryPoint,
  HistoryQuery,
  SampleQuery,
  StoreHealth,
  TelemetryStore,
} from './telemetry-store.port';

interface SampleRow {
  device_id: string;
  ts: number;
  patient_id: string;
  seq: number;
  body: string;
}

type SampleBody = Pick<Sample, 'vitals' | 'consciousness' | 'onOxygen' | 'battery'>;

interface Write {
  readonly samples: readonly Sample[];
  readonly events: readonly AlertEvent[];
}

/**
 * The embedded TelemetryStore on SQLite. Writes arriving in the same turn of the event loop are
 * committed together (group commit), so one fsync covers many devices' samples.
 */
export class SqliteTelemetryStore extends LocalAlertState implements TelemetryStore {
  private readonly insertSample;
  private readonly writes: GroupCommit<Write>;

  constructor(private readonly db: EmbeddedDatabase) {
    super(db);
    this.insertSample = db.prepare(
      'INSERT OR IGNORE INTO samples (device_id, ts, patient_id, seq, body) VALUES (?, ?, ?, ?, ?)',
    );
    const commit = db.transaction((writes: readonly Write[]) => {
      for (const write of writes) {
        for (const sample of write.samples) this.insertSampleRow(sample);
        for (const event of write.events) this.alertState.record(event);
      }
    });
    // Up to 5 ms of writes per fsync: a PUBACK waits at most that much longer.
    this.writes = new GroupCommit(commit, 5);
  }

  writeSamples(samples: readonly Sample[]): Promise<void> {
    return this.writes.add({ samples, events: [] });
  }

  writeAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    return this.writes.add({ samples: [], events });
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

  async queryHistory(query: HistoryQuery): Promise<HistoryPoint[]> {
    return downsample(await this.querySamples(query), query.everyMs);
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
    this.writes.flush();
    this.db.close();
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
}

function toSample(row: SampleRow): Sample {
  const body = JSON.parse(row.body) as SampleBody;
  return { patientId: row.patient_id, deviceId: row.device_id, ts: row.ts, seq: row.seq, ...body };
}
