import type {
  Alert,
  AlertEvent,
  AlertState,
  AlertWithHistory,
  Sample,
  VitalValues,
} from '@vigil/contracts';

export type { AlertWithHistory };

export const TELEMETRY_STORE = Symbol('TelemetryStore');

export interface SampleQuery {
  readonly patientId: string;
  /** Epoch milliseconds, inclusive. */
  readonly from: number;
  /** Epoch milliseconds, exclusive. */
  readonly to: number;
  readonly limit?: number;
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

/** Where a page of alerts ended: the next page starts after this alert. */
export interface AlertCursor {
  readonly raisedAt: string;
  readonly id: string;
}

export interface AlertQuery {
  /** One state, or `open`: active, acknowledged or latched. */
  readonly state?: AlertState | 'open';
  readonly patientId?: string;
  /** Only the alerts of patients on these wards; absent: every ward. */
  readonly wards?: readonly string[];
  /** ISO-8601 bounds on when the alert was raised. */
  readonly from?: string;
  readonly to?: string;
  /** Newest first, so the page holds alerts raised before this one. */
  readonly after?: AlertCursor;
  readonly limit: number;
}

export interface AlertChangeQuery {
  /** ISO-8601: alerts whose state changed after it. */
  readonly since: string;
  readonly wards?: readonly string[];
  /** The most recent changes, at most this many. */
  readonly limit: number;
}

export interface StoreHealth {
  readonly status: 'up' | 'degraded' | 'down';
  readonly adapter: string;
  readonly detail?: string;
  /** Lines written locally and not yet in InfluxDB. */
  readonly spoolDepth?: number;
}

/**
 * Where samples and alert events are kept. A write resolves only once what it wrote is durable:
 * callers acknowledge devices on that promise. Writing the same sample (device and timestamp)
 * twice keeps one copy.
 */
export interface TelemetryStore {
  writeSamples(samples: readonly Sample[]): Promise<void>;
  writeAlertEvents(events: readonly AlertEvent[]): Promise<void>;
  /** A patient's samples in time order. */
  querySamples(query: SampleQuery): Promise<Sample[]>;
  latestSample(patientId: string): Promise<Sample | undefined>;
  /** A patient's vitals downsampled to the mean per bucket, buckets in time order. */
  queryHistory(query: HistoryQuery): Promise<HistoryPoint[]>;
  /** Alerts whose last event left them open (active, acknowledged or latched). */
  openAlerts(): Promise<Alert[]>;
  /** The latest alerts whose state changed after `since`, oldest change first. */
  alertsChangedSince(query: AlertChangeQuery): Promise<Alert[]>;
  /** Alerts with their history, newest first, filtered before they are counted to the limit. */
  listAlerts(query: AlertQuery): Promise<AlertWithHistory[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** The store cannot take a write now; the caller must not acknowledge it (the device will resend). */
export class StoreUnavailableError extends Error {}

/** The store has more reads waiting than it takes at once; the caller may retry shortly. */
export class StoreBusyError extends Error {}
