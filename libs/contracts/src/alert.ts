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
  /** The patient concerned; empty on a ward's own alarm (see `ward`). */
  readonly patientId: string;
  /**
   * Set only on a ward's own alarm, one that concerns no single patient (many devices lost at
   * once, a notification target failing). A patient's alerts follow her ward and do not carry it.
   */
  readonly ward?: string;
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

/**
 * Why an alert was closed without its condition clearing: its patient or device left, the
 * patient went on standby, or a ward's alarm now speaks for it (`grouped`).
 */
export const ALERT_WITHDRAWAL_REASONS = [
  'discharged',
  'admission-cancelled',
  'device-unbound',
  'standby',
  'grouped',
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

/** Whether the alert is a ward's own alarm rather than one patient's. */
export function isWardAlarm(alert: Pick<Alert, 'ward'>): alert is Alert & { ward: string } {
  return alert.ward !== undefined;
}

/** The ward whose staff an alert is for: the ward's own, or the one its patient is on now. */
export function wardOfAlert(
  alert: Pick<Alert, 'ward' | 'patientId'>,
  wardOfPatient: (patientId: string) => string | undefined,
): string | undefined {
  return alert.ward ?? wardOfPatient(alert.patientId);
}

/**
 * A patient on standby (IEC 60601-1-8 calls the state "monitoring standby"): off the ward until
 * `until`, in imaging or theatre, her wearable out of reach or taken off. Her devices raise no
 * technical alarm of lost data meanwhile; physiological alarms go on with whatever data arrives.
 */
export interface Standby {
  readonly patientId: string;
  readonly reason: string;
  readonly by: string;
  readonly from: string;
  readonly until: string;
}

/** The longest standby, in hours: longer than that she is on leave, or should be discharged. */
export const MAX_STANDBY_HOURS = 12;

/** The technical alarms standby holds back: a device's data lost or not to be trusted. */
export const STANDBY_SILENCED_CONDITIONS: readonly string[] = [
  'device.no-data',
  'device.offline',
  'device.sensor-off',
];

/** A ward lost many patients' devices at once: one alarm for one cause. */
export const WARD_CONNECTION_LOST = 'ward.connection-lost';
