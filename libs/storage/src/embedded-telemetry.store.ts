import type { AlertEvent, Sample } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import type { EmbeddedHistoryReader } from './embedded-history-reader';
import type { EmbeddedWriter } from './embedded-writer';
import type { SampleBody } from './embedded-writes';
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

/**
 * The embedded TelemetryStore on SQLite. Writes go through the embedded writer (group commit,
 * on a writer thread for a database file); history aggregates through the reader (on a reader
 * thread); the small reads use this thread's connection, which WAL lets proceed while the writer
 * commits.
 */
export class EmbeddedTelemetryStore implements TelemetryStore {
  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly writer: EmbeddedWriter,
    private readonly historyReader: EmbeddedHistoryReader,
  ) {}

  writeSamples(samples: readonly Sample[]): Promise<void> {
    return this.writer.write({ samples });
  }

  /** The alert store keeps them in this same database. */
  async recordAlertEvents(_events: readonly AlertEvent[]): Promise<void> {}

  async querySamples(query: SampleQuery): Promise<Sample[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM samples WHERE patient_id = ? AND ts >= ? AND ts < ? ORDER BY ts ${query.newestFirst ? 'DESC' : 'ASC'} LIMIT ?`,
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
    return this.historyReader.read(query);
  }

  async health(): Promise<StoreHealth> {
    try {
      this.db.prepare('SELECT 1').get();
      return { status: 'up', adapter: 'embedded' };
    } catch {
      return {
        status: 'down',
        adapter: 'embedded',
        detail: 'the embedded database does not answer',
      };
    }
  }

  /** The writer, the reader and the database are closed by their owner (the storage module). */
  async close(): Promise<void> {}
}

function toSample(row: SampleRow): Sample {
  const body = JSON.parse(row.body) as SampleBody;
  return { patientId: row.patient_id, deviceId: row.device_id, ts: row.ts, seq: row.seq, ...body };
}
