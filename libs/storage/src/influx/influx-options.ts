export type InfluxApi = 'v1' | 'v2';

export interface InfluxOptions {
  readonly url: string;
  /**
   * `v2`: writes to `/api/v2/write` (InfluxDB 2.x, 3.x, 1.8+). `v1`: the same line protocol to
   * `/write` (InfluxDB 1.x before 1.8).
   */
  readonly api: InfluxApi;
  /** v2: an API token. v1: `user:password`, or absent when authentication is off. */
  readonly token?: string;
  /** v2 only. */
  readonly org?: string;
  /** v2: the bucket. v1: the database, optionally `database/retention-policy`. */
  readonly bucket: string;
  /** Lines the local spool may hold before Vigil stops acknowledging devices. */
  readonly spoolMaxLines: number;
}

/** Measurement names: documented in docs/influxdb.md, "Schema". */
export const VITALS_MEASUREMENT = 'vitals';
export const ALERT_EVENTS_MEASUREMENT = 'alert_events';
