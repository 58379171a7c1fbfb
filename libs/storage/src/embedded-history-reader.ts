import type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './embedded-database';
import { prepareAlarmLoadQuery } from './embedded-alarm-load';
import { prepareHistoryQuery } from './embedded-history';
import { prepareSamplesQuery } from './embedded-samples';
import type { AlarmLoadQuery, AlarmLoadRows } from './alarm-load.port';
import { EmbeddedDatabaseThread } from './embedded-database-thread';
import {
  StoreBusyError,
  type HistoryPoint,
  type HistoryQuery,
  type SampleQuery,
} from './telemetry-store.port';
import type { Sample } from '@vigil/contracts';

/** One aggregate runs while at most three wait; a fifth reader is told to come back. */
const MAX_PENDING_READS = 4;

/**
 * History, report and sample-window reads of the embedded store. For a database file they run on a reader thread with its
 * own connection, so however heavy a read is, the broker's thread (and every alarm) goes on; and
 * no more than a few wait, so a loop of heavy reads cannot queue up unbounded work.
 */
export class EmbeddedHistoryReader {
  private readonly thread?: EmbeddedDatabaseThread;
  private readonly inline?: {
    history: (query: HistoryQuery) => HistoryPoint[];
    alarmLoad: (query: AlarmLoadQuery) => AlarmLoadRows;
    samples: (query: SampleQuery) => Sample[];
  };

  constructor(db: EmbeddedDatabase, options: EmbeddedDatabaseOptions = {}) {
    if (db.memory)
      this.inline = {
        history: prepareHistoryQuery(db),
        alarmLoad: prepareAlarmLoadQuery(db),
        samples: prepareSamplesQuery(db),
      };
    else this.thread = new EmbeddedDatabaseThread({ file: db.name, role: 'reader', ...options });
  }

  async read(query: HistoryQuery): Promise<HistoryPoint[]> {
    if (this.inline) return this.inline.history(query);
    return this.admitted().history(query);
  }

  /** A patient's samples of a window (the FHIR API's pages, charting to the EHR). */
  async samples(query: SampleQuery): Promise<Sample[]> {
    if (this.inline) return this.inline.samples(query);
    return this.admitted().samples(query);
  }

  /** The rows of a ward's alarm-load report. */
  async alarmLoad(query: AlarmLoadQuery): Promise<AlarmLoadRows> {
    if (this.inline) return this.inline.alarmLoad(query);
    return this.admitted().alarmLoad(query);
  }

  /** The reader thread, unless too many reads already wait for it. */
  private admitted(): EmbeddedDatabaseThread {
    const thread = this.thread as EmbeddedDatabaseThread;
    if (thread.pending >= MAX_PENDING_READS)
      throw new StoreBusyError(`${thread.pending} reads are under way; retry shortly`);
    return thread;
  }

  async close(): Promise<void> {
    await this.thread?.close();
  }
}
