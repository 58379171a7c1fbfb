import type { Alert, AlertEvent, Sample } from '@vigil/contracts';

export const TELEMETRY_STORE = Symbol('TelemetryStore');

export interface SampleQuery {
  readonly patientId: string;
  /** Epoch milliseconds, inclusive. */
  readonly from: number;
  /** Epoch milliseconds, exclusive. */
  readonly to: number;
  readonly limit?: number;
}

export interface StoreHealth {
  readonly status: 'up' | 'degraded' | 'down';
  readonly adapter: string;
  readonly detail?: string;
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
  /** The last known state of every alert that was active when last written. */
  activeAlerts(): Promise<Alert[]>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
