import type { VitalName } from './vital-signs.catalogue';

/** Alarm priorities as IEC 60601-1-8 names them; `high` needs immediate response. */
export const ALERT_PRIORITIES = ['high', 'medium', 'low'] as const;
export type AlertPriority = (typeof ALERT_PRIORITIES)[number];

export const ALERT_STATES = ['active', 'resolved'] as const;
/**
 * `active`: the condition holds (or has not yet been seen to clear).
 * `resolved`: a later sample showed the vital back inside the threshold.
 */
export type AlertState = (typeof ALERT_STATES)[number];

export interface Alert {
  readonly id: string;
  readonly patientId: string;
  readonly deviceId: string;
  /** The condition, e.g. `spo2.below`: one condition on one patient is one alert. */
  readonly rule: string;
  readonly vital: VitalName;
  /** The value that raised the alert. */
  readonly value: number;
  readonly threshold: number;
  readonly priority: AlertPriority;
  readonly state: AlertState;
  /** When Vigil raised the alert (ISO-8601). */
  readonly raisedAt: string;
  /** The breaching sample's own timestamp (ISO-8601). */
  readonly ts: string;
  /** The most recent breaching value and how many breaching samples were seen. */
  readonly lastValue: number;
  readonly count: number;
  readonly updatedAt: string;
  readonly resolvedAt?: string;
}

/** One step in an alert's life, as persisted and replayed. */
export interface AlertEvent {
  readonly kind: 'raised' | 'updated' | 'resolved';
  readonly at: string;
  readonly alert: Alert;
}
