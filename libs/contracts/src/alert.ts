import type { VitalName } from './vital-signs.catalogue';

/** Alarm priorities as IEC 60601-1-8 names them; `high` needs immediate response. */
export const ALERT_PRIORITIES = ['high', 'medium', 'low'] as const;
export type AlertPriority = (typeof ALERT_PRIORITIES)[number];

/** The one ranking of priorities: the higher, the more urgent. */
export const PRIORITY_RANK: Readonly<Record<AlertPriority, number>> = {
  high: 3,
  medium: 2,
  low: 1,
};

/** Orders things with a priority most urgent first, for `Array.prototype.sort`. */
export function byUrgency(a: { priority: AlertPriority }, b: { priority: AlertPriority }): number {
  return PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority];
}

export const ALERT_STATES = ['active', 'acknowledged', 'latched', 'resolved'] as const;
/**
 * `active`: the condition holds and nobody has acknowledged it.
 * `acknowledged`: the condition holds; a named user has acknowledged it.
 * `latched`: a high-priority condition cleared before anyone acknowledged it; it stays until
 * acknowledged, so a nurse learns of a desaturation that resolved on its own.
 * `resolved`: over (cleared and acknowledged, or cleared at medium or low priority).
 */
export type AlertState = (typeof ALERT_STATES)[number];

/** The states in which an alert still asks for someone's attention. */
export const OPEN_ALERT_STATES: readonly AlertState[] = ['active', 'acknowledged', 'latched'];

/**
 * Patient alarms come from the patient's vitals; technical alarms from the equipment; care
 * reminders from the ward's own routine (observations overdue).
 */
export type AlertCategory = 'physiological' | 'technical' | 'care';

export interface Alert {
  readonly id: string;
  readonly patientId: string;
  readonly deviceId: string;
  readonly category: AlertCategory;
  /** The condition, e.g. `spo2.below`, `news2`, `device.no-data`: one per patient, one alert. */
  readonly rule: string;
  /** The vital concerned; null for NEWS2 and technical alarms. */
  readonly vital: VitalName | null;
  /** The value that raised the alert (seconds of silence, battery %, NEWS2 total...). */
  readonly value: number;
  readonly threshold: number;
  readonly priority: AlertPriority;
  readonly state: AlertState;
  /** When Vigil raised the alert (ISO-8601). */
  readonly raisedAt: string;
  /** The triggering sample's own timestamp (ISO-8601). */
  readonly ts: string;
  readonly lastValue: number;
  /** The furthest value from normal seen during the alert. */
  readonly worstValue: number;
  /** Breaching samples seen. */
  readonly count: number;
  readonly updatedAt: string;
  /** What to do, when the rule says (the NEWS2 band's clinical response). */
  readonly message?: string;
  readonly acknowledgedBy?: string;
  readonly acknowledgedAt?: string;
  readonly clearedAt?: string;
  readonly resolvedAt?: string;
  /**
   * The device it came from stopped giving valid readings (sensor off, or no data) while it was
   * open: what it shows may no longer be her state.
   */
  readonly dataStale?: boolean;
  /** Set when the alert was closed by a change of the patient's stay, not by her condition. */
  readonly resolvedReason?: AlertWithdrawalReason;
  /** 0 until escalated to the second audience (the ward's charge nurse), then 1. */
  readonly escalationLevel: number;
  readonly escalatedAt?: string;
  readonly remindedAt?: string;
}

/** Why an alert was closed without its condition clearing: its patient or device left. */
export const ALERT_WITHDRAWAL_REASONS = [
  'discharged',
  'admission-cancelled',
  'device-unbound',
] as const;
export type AlertWithdrawalReason = (typeof ALERT_WITHDRAWAL_REASONS)[number];

export const ALERT_EVENT_KINDS = [
  'raised',
  'updated',
  'acknowledged',
  'latched',
  'resolved',
  'escalated',
  'reminded',
] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

/** One step in an alert's life: what happened, when, and who did it when a person did. */
export interface AlertEvent {
  readonly kind: AlertEventKind;
  readonly at: string;
  readonly by?: string;
  readonly alert: Alert;
}

/** What an alarm pause silences: every alarm, the patient's physiological ones, or one vital's. */
export type AlarmPauseScope = 'all' | 'physiological' | VitalName;

/**
 * An alarm pause (IEC 60601-1-8 "alarm paused"): conditions keep being evaluated and recorded,
 * nothing new is announced or escalated until `until`; a condition still present then is
 * announced at once.
 */
export interface AlarmPause {
  readonly patientId: string;
  readonly scope: AlarmPauseScope;
  readonly reason: string;
  readonly by: string;
  readonly from: string;
  readonly until: string;
}

/** The longest pause a nurse may set, in minutes (monitors commonly allow 1 to 15). */
export const MAX_ALARM_PAUSE_MINUTES = 15;
