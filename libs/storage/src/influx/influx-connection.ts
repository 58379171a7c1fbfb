import {
  InfluxDB,
  setLogger,
  type SendOptions,
  type Transport,
  type WriteApi,
} from '@influxdata/influxdb-client';
import type { InfluxOptions } from './influx-options';

/** The JSON that `/query` answers (InfluxQL), as InfluxDB 1.x, 2.x and 3.x share it. */
export interface InfluxQlResponse {
  readonly results?: readonly {
    readonly error?: string;
    readonly series?: readonly {
      readonly name: string;
      readonly tags?: Record<string, string>;
      readonly columns: readonly string[];
      readonly values: readonly (readonly unknown[])[];
    }[];
  }[];
  readonly error?: string;
}

/**
 * InfluxDB before 1.8 has no `/api/v2/write`; it takes the same line protocol at `/write`. This
 * transport lets the client's own write API serve it, by moving the request to the 1.x path.
 */
class V1WritePathTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly target: string,
  ) {}

  get chunkCombiner(): Transport['chunkCombiner'] {
    return this.inner.chunkCombiner;
  }

  send(...[path, ...rest]: Parameters<Transport['send']>): void {
    this.inner.send(this.rewrite(path), ...rest);
  }

  request(...args: Parameters<Transport['request']>): ReturnType<Transport['request']> {
    return this.inner.request(...args);
  }

  iterate(...args: Parameters<Transport['iterate']>): ReturnType<Transport['iterate']> {
    return this.inner.iterate(...args);
  }

  private rewrite(path: string): string {
    if (!path.startsWith('/api/v2/write?')) return path;
    const precision =
      new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('precision') ?? 'ms';
    const [database, retentionPolicy] = this.target.split('/');
    const query = new URLSearchParams({ db: database, precision });
    if (retentionPolicy) query.set('rp', retentionPolicy);
    return `/write?${query}`;
  }
}

/** The most lines one `writeLines` call may carry: one request, one answer. */
export const MAX_WRITE_LINES = 10_000;

/** One InfluxDB server: the client's write API for line protocol, InfluxQL over `/query` for reads. */
export class InfluxConnection {
  private readonly client: InfluxDB;
  private readonly writeApi: WriteApi;
  private readonly database: string;

  constructor(options: InfluxOptions) {
    const v1 = options.api === 'v1';
    const connection = {
      url: options.url,
      timeout: 10_000,
      ...(v1
        ? options.token && {
            headers: { authorization: `Basic ${Buffer.from(options.token).toString('base64')}` },
          }
        : { token: options.token }),
    };
    const base = new InfluxDB(connection);
    this.client = v1
      ? new InfluxDB({
          ...connection,
          transport: new V1WritePathTransport(base.transport, options.bucket),
        })
      : base;
    this.database = options.bucket.split('/')[0];
    this.writeApi = this.client.getWriteApi(v1 ? '' : (options.org ?? ''), options.bucket, 'ms', {
      // Vigil sends each spool batch itself and flushes it at once: no timer, and a batch never
      // reaches the size that would make the client send part of it on its own.
      batchSize: MAX_WRITE_LINES + 1,
      flushInterval: 0,
      // The durable spool owns retries: the client's retry buffer is in memory and drops lines
      // past maxBufferLines, which would break "no acknowledged sample is lost".
      maxRetries: 0,
    });
  }

  /** Resolves once InfluxDB has accepted every line (HTTP 204). */
  async writeLines(lines: string[]): Promise<void> {
    if (lines.length > MAX_WRITE_LINES)
      throw new RangeError(`at most ${MAX_WRITE_LINES} lines per write`);
    this.writeApi.writeRecords(lines);
    await this.writeApi.flush();
  }

  async query(influxQl: string): Promise<InfluxQlResponse> {
    const params = new URLSearchParams({ db: this.database, epoch: 'ms', q: influxQl });
    const options: SendOptions = { method: 'GET', headers: { accept: 'application/json' } };
    const response = (await this.client.transport.request(
      `/query?${params}`,
      '',
      options,
    )) as InfluxQlResponse;
    const error = response.error ?? response.results?.find((result) => result.error)?.error;
    if (error) throw new Error(`InfluxQL: ${error}`);
    return response;
  }

  async ping(): Promise<void> {
    await this.client.transport.request('/ping', '', { method: 'GET' });
  }

  async close(): Promise<void> {
    await this.writeApi.close().catch(() => undefined);
  }
}

/** The client logs every failed write; Vigil's spool reports outages once, so route it quietly. */
export function quietInfluxClientLogs(log: { debug(message: string): void }): void {
  setLogger({
    error: (message, error) => log.debug(`${message} ${String(error ?? '')}`),
    warn: (message, error) => log.debug(`${message} ${String(error ?? '')}`),
  });
}
