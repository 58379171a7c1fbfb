import type { AlertEvent, Sample } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import type { EmbeddedHistoryReader } from './embedded-history-reader';
import type { EmbeddedWriter } from './embedded-writer';
import { latestSampleOf } from './embedded-samples';
import type {
  HistoryPoint,
  HistoryQuery,
  SampleQuery,
  StoreHealth,
  TelemetryStore,
} from './telemetry-store.port';

/**
 * The embedded TelemetryStore on SQLite. Writes go through the embedded writer (group commit,
 * on a writer thread for a database file); history aggregates and sample reads through the reader
 * (on a reader thread); the latest sample uses this thread's connection, which WAL lets proceed
 * while the writer commits.
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

  /** On the reader thread, bounded as history reads are (StoreBusyError when too many wait). */
  querySamples(query: SampleQuery): Promise<Sample[]> {
    return this.historyReader.samples(query);
  }

  async latestSample(patientId: string): Promise<Sample | undefined> {
    return latestSampleOf(this.db, patientId);
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
