import type { AlertEvent, Sample, VitalValues } from '@vigil/contracts';

export const TELEMETRY_STORE = Symbol('TelemetryStore');

export interface SampleQuery {
  readonly patientId: string;
  /** Epoch milliseconds, inclusive. */
  readonly from: number;
  /** Epoch milliseconds, exclusive. */
  readonly to: number;
  readonly limit?: number;
  /** Newest first, so that `limit` keeps the latest; oldest first otherwise. */
  readonly newestFirst?: boolean;
}

export interface HistoryQuery {
  readonly patientId: string;
  readonly from: number;
  readonly to: number;
  /** Bucket width in milliseconds; buckets start at multiples of it since the epoch. */
  readonly everyMs: number;
}

/** The mean of each vital over one bucket; a vital with no sample in the bucket is absent. */
export interface HistoryPoint {
  /** Start of the bucket, epoch milliseconds. */
  readonly ts: number;
  readonly vitals: VitalValues;
}

export interface StoreHealth {
  readonly status: 'up' | 'degraded' | 'down';
  readonly adapter: string;
  readonly detail?: string;
  /** Lines written locally and not yet in InfluxDB. */
  readonly spoolDepth?: number;
}

/**
 * Where samples are kept. A write resolves only once what it wrote is durable: callers
 * acknowledge devices on that promise. Writing the same sample (device and timestamp) twice keeps
 * one copy.
 */
export interface TelemetryStore {
  writeSamples(samples: readonly Sample[]): Promise<void>;
  /**
   * Alert events kept beside the vitals for analysis (InfluxDB's `alert_events`); the alert store
   * is where they are kept for Vigil. The embedded store has nothing to add.
   */
  recordAlertEvents(events: readonly AlertEvent[]): Promise<void>;
  /** A patient's samples in time order (or newest first when asked). */
  querySamples(query: SampleQuery): Promise<Sample[]>;
  latestSample(patientId: string): Promise<Sample | undefined>;
  /** A patient's vitals downsampled to the mean per bucket, buckets in time order. */
  queryHistory(query: HistoryQuery): Promise<HistoryPoint[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** The store cannot take a write now; the caller must not acknowledge it (the device will resend). */
export class StoreUnavailableError extends Error {}

/** The store has more reads waiting than it takes at once; the caller may retry shortly. */
export class StoreBusyError extends Error {}
