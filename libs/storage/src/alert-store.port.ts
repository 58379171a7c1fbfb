import type { Alert, AlertEvent, AlertState, AlertWithHistory } from '@vigil/contracts';
import type { AlarmLoadQuery, AlarmLoadRows } from './alarm-load.port';

export type { AlertWithHistory };

export const ALERT_STORE = Symbol('AlertStore');

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

/**
 * Every alert's events and current state, kept in the embedded database whichever store keeps
 * telemetry, so a restart restores open alerts even while InfluxDB does not answer.
 */
export interface AlertStore {
  /** Resolves once the events are durable; in the order they were written with samples. */
  writeAlertEvents(events: readonly AlertEvent[]): Promise<void>;
  /** Alerts whose last event left them open (active, acknowledged or latched). */
  openAlerts(): Promise<Alert[]>;
  /** The latest alerts whose state changed after `since`, oldest change first. */
  alertsChangedSince(query: AlertChangeQuery): Promise<Alert[]>;
  /** Alerts with their history, newest first, filtered before they are counted to the limit. */
  listAlerts(query: AlertQuery): Promise<AlertWithHistory[]>;
  /** What a ward's alarm-load report is made of, read beside the broker's thread. */
  alarmLoad(query: AlarmLoadQuery): Promise<AlarmLoadRows>;
}
