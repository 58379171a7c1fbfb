import type { AlertEvent, Sample } from '@vigil/contracts';
import type { EmbeddedDatabase } from '../embedded-database';
import { GroupCommit } from '../group-commit';
import {
  StoreUnavailableError,
  type HistoryPoint,
  type HistoryQuery,
  type SampleQuery,
  type StoreHealth,
  type TelemetryStore,
} from '../telemetry-store.port';
import { DurableSpool } from './durable-spool';
import type { InfluxConnection } from './influx-connection';
import { alertEventLine, sampleLine } from './influx-lines';
import type { InfluxOptions } from './influx-options';
import {
  historyQuery,
  latestSampleQuery,
  rowsOf,
  rowToHistoryPoint,
  rowToSample,
  samplesQuery,
} from './influxql';
import {
  DEFAULT_DRAINER_OPTIONS,
  SpoolDrainer,
  type DrainerEvents,
  type DrainerOptions,
} from './spool-drainer';

/**
 * Telemetry in InfluxDB. Every write lands first in the durable local spool (the caller may
 * acknowledge the device then), and the spool drains into InfluxDB in order, through outages and
 * restarts. Alert events go there too, for analysis beside the vitals; Vigil keeps alerts in the
 * alert store of the embedded database.
 */
export class InfluxTelemetryStore implements TelemetryStore {
  private readonly spool: DurableSpool;
  private readonly writes: GroupCommit<readonly string[]>;
  private readonly drainer: SpoolDrainer;

  constructor(
    db: EmbeddedDatabase,
    private readonly connection: InfluxConnection,
    private readonly options: InfluxOptions,
    events: DrainerEvents,
    drainerOptions: DrainerOptions = DEFAULT_DRAINER_OPTIONS,
  ) {
    this.spool = new DurableSpool(db);
    this.writes = new GroupCommit(
      this.spool.transaction((writes: readonly (readonly string[])[]) => {
        for (const lines of writes) this.spool.insert(lines);
      }),
      5,
    );
    this.drainer = new SpoolDrainer(
      this.spool,
      (lines) => this.connection.writeLines(lines),
      events,
      drainerOptions,
    );
    this.drainer.kick();
  }

  get spoolDepth(): number {
    return this.spool.depth;
  }

  async writeSamples(samples: readonly Sample[]): Promise<void> {
    await this.append(samples.map(sampleLine));
  }

  async recordAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    await this.append(events.map(alertEventLine));
  }

  async querySamples(query: SampleQuery): Promise<Sample[]> {
    const response = await this.connection.query(samplesQuery(query));
    return rowsOf(response).map(rowToSample);
  }

  async latestSample(patientId: string): Promise<Sample | undefined> {
    const [row] = rowsOf(await this.connection.query(latestSampleQuery(patientId)));
    return row && rowToSample(row);
  }

  async queryHistory(query: HistoryQuery): Promise<HistoryPoint[]> {
    const response = await this.connection.query(
      historyQuery(query.patientId, query.from, query.to, query.everyMs),
    );
    return rowsOf(response).map(rowToHistoryPoint);
  }

  async health(): Promise<StoreHealth> {
    const adapter = `influxdb-${this.options.api}`;
    const spoolDepth = this.spool.depth;
    if (spoolDepth >= this.options.spoolMaxLines) {
      return {
        status: 'down',
        adapter,
        spoolDepth,
        detail: 'spool full: devices are not being acknowledged',
      };
    }
    try {
      await this.connection.ping();
    } catch {
      // The client's error names internal hosts and ports: the drainer logs it, /health does not.
      return { status: 'degraded', adapter, spoolDepth, detail: 'InfluxDB unreachable' };
    }
    const lastError = this.drainer.lastError;
    return lastError
      ? {
          status: 'degraded',
          adapter,
          spoolDepth,
          detail: 'InfluxDB refuses or fails writes',
        }
      : { status: 'up', adapter, spoolDepth };
  }

  /** Resolves once the spool is empty, or rejects after `timeoutMs`. */
  async drained(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.drainer.kick();
    while (this.spool.depth > 0) {
      if (Date.now() > deadline) throw new Error(`spool still holds ${this.spool.depth} lines`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    this.writes.flush();
    await this.drainer.stop();
    await this.connection.close();
  }

  private async append(lines: readonly string[]): Promise<void> {
    if (this.spool.depth + lines.length > this.options.spoolMaxLines) {
      throw new StoreUnavailableError(
        `spool full (${this.spool.depth} lines): not acknowledging until InfluxDB drains it`,
      );
    }
    await this.writes.add(lines);
    this.drainer.kick();
  }
}
