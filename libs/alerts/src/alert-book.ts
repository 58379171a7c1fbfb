import {
  OPEN_ALERT_STATES,
  PRIORITY_RANK,
  type Alert,
  type AlertCategory,
  type AlertEvent,
  type AlertEventKind,
  type AlertPriority,
  type AlertWithdrawalReason,
  type VitalName,
} from '@vigil/contracts';

/** A condition met on one patient, as the rules engine or a technical check reports it. */
export interface BreachReport {
  /** Empty for a ward's own alarm, which names its `ward` instead. */
  readonly patientId: string;
  readonly ward?: string;
  readonly deviceId: string;
  readonly category: AlertCategory;
  readonly condition: string;
  readonly vital: VitalName | null;
  readonly value: number;
  readonly threshold: number;
  readonly priority: AlertPriority;
  /** Which way is worse: a higher value (`above`) or a lower one (`below`). */
  readonly worse: 'above' | 'below';
  /** The triggering sample's timestamp, epoch ms. */
  readonly ts: number;
  readonly message?: string;
}

export interface EscalationPolicy {
  /** A high-priority alert unacknowledged this long is escalated to the second audience. */
  readonly escalateAfterMs: number;
  /** After escalation, how often it is announced again until acknowledged. */
  readonly remindEveryMs: number;
}

export type AcknowledgeResult =
  | { readonly ok: true; readonly events: AlertEvent[] }
  | { readonly ok: false; readonly reason: 'not-found' };

const OPEN_STATES: ReadonlySet<Alert['state']> = new Set(OPEN_ALERT_STATES);

export function isOpen(alert: Alert): boolean {
  return OPEN_STATES.has(alert.state);
}

/**
 * The alert lifecycle, one alert per patient and condition. Pure: reports, acknowledgements and
 * the clock come in as arguments; events come out for the caller to persist and announce.
 */
export class AlertBook {
  private readonly open = new OpenAlerts();

  constructor(
    private readonly newId: () => string,
    private readonly policy: EscalationPolicy,
  ) {}

  /** Loads alerts that were open before a restart. */
  restore(alerts: readonly Alert[]): void {
    for (const alert of alerts) if (isOpen(alert)) this.open.set(keyOf(alert, alert.rule), alert);
  }

  /** Drops the open alerts `which` selects (their patients are no longer this book's); returns them. */
  forget(which: (alert: Alert) => boolean): Alert[] {
    const forgotten: Alert[] = [];
    for (const [key, alert] of this.open)
      if (which(alert)) {
        this.open.delete(key);
        forgotten.push(alert);
      }
    return forgotten;
  }

  openAlerts(): Alert[] {
    return [...this.open.values()];
  }

  /**
   * Whether a physiological alert of the patient is raised on a condition that still holds (open
   * and not latched): cheap, asked per sample.
   */
  physiologicalAlarmHolds(patientId: string): boolean {
    return this.open.holding(patientId);
  }

  /** Whether the patient has an open alert for the condition (cheap: asked per sample). */
  hasOpen(patientId: string, condition: string): boolean {
    return this.open.has(keyOf({ patientId }, condition));
  }

  breach(report: BreachReport, now: Date): AlertEvent[] {
    const at = now.toISOString();
    const key = keyOf(report, report.condition);
    const existing = this.open.get(key);
    if (!existing) {
      const alert: Alert = {
        id: this.newId(),
        patientId: report.patientId,
        ...(report.ward !== undefined && { ward: report.ward }),
        deviceId: report.deviceId,
        category: report.category,
        rule: report.condition,
        vital: report.vital,
        value: report.value,
        threshold: report.threshold,
        priority: report.priority,
        state: 'active',
        raisedAt: at,
        ts: new Date(report.ts).toISOString(),
        lastValue: report.value,
        worstValue: report.value,
        count: 1,
        updatedAt: at,
        escalationLevel: 0,
        ...(report.message && { message: report.message }),
      };
      return this.record(key, alert, 'raised', at);
    }
    const upgraded = PRIORITY_RANK[report.priority] > PRIORITY_RANK[existing.priority];
    const relapsed = existing.state === 'latched';
    // What to do changed (a ward alarm now names more patients): nurses must read the new words.
    const restated = report.message !== undefined && report.message !== existing.message;
    const worstValue =
      report.worse === 'above'
        ? Math.max(existing.worstValue, report.value)
        : Math.min(existing.worstValue, report.value);
    const repeat: Alert = {
      ...existing,
      lastValue: report.value,
      worstValue,
      count: existing.count + 1,
    };
    if (!upgraded && !relapsed && !restated) {
      this.open.set(key, repeat);
      return [];
    }
    const { clearedAt: _cleared, ...stillHolding } = repeat;
    return this.record(
      key,
      {
        ...stillHolding,
        state: relapsed ? 'active' : existing.state,
        updatedAt: at,
        ...(restated && { message: report.message }),
        ...(upgraded && {
          priority: report.priority,
          threshold: report.threshold,
          value: report.value,
          ts: new Date(report.ts).toISOString(),
          ...(report.message && { message: report.message }),
        }),
      },
      'updated',
      at,
    );
  }

  /**
   * The condition no longer holds (on the patient, or with `ward` on that ward). A high-priority
   * alert nobody acknowledged stays latched.
   */
  clear(patientId: string, condition: string, now: Date, ward?: string): AlertEvent[] {
    const key = keyOf({ patientId, ward }, condition);
    const alert = this.open.get(key);
    if (!alert || alert.state === 'latched') return [];
    const at = now.toISOString();
    if (alert.state === 'active' && alert.priority === 'high') {
      return this.record(
        key,
        { ...alert, state: 'latched', clearedAt: at, updatedAt: at },
        'latched',
        at,
      );
    }
    return this.record(
      key,
      { ...alert, state: 'resolved', clearedAt: at, resolvedAt: at, updatedAt: at },
      'resolved',
      at,
    );
  }

  acknowledge(alertId: string, by: string, now: Date): AcknowledgeResult {
    const entry = [...this.open].find(([, alert]) => alert.id === alertId);
    if (!entry) return { ok: false, reason: 'not-found' };
    const [key, alert] = entry;
    if (alert.state === 'acknowledged') return { ok: true, events: [] };
    const at = now.toISOString();
    const acknowledged = { ...alert, acknowledgedBy: by, acknowledgedAt: at, updatedAt: at };
    const next: Alert =
      alert.state === 'latched'
        ? { ...acknowledged, state: 'resolved', resolvedAt: at }
        : { ...acknowledged, state: 'acknowledged' };
    return { ok: true, events: this.record(key, next, 'acknowledged', at, by) };
  }

  /**
   * Escalates an open alert to the second audience now, whatever its priority (the person it
   * reached declined it); one already escalated is announced again.
   */
  escalate(alertId: string, now: Date): AcknowledgeResult {
    const entry = [...this.open].find(([, alert]) => alert.id === alertId);
    if (!entry) return { ok: false, reason: 'not-found' };
    const [key, alert] = entry;
    const at = now.toISOString();
    return {
      ok: true,
      events:
        alert.escalationLevel === 0
          ? this.escalated(key, alert, at)
          : this.reminded(key, alert, at),
    };
  }

  /**
   * Marks (or unmarks) the open physiological alerts a device raised on a patient as based on data
   * that is no longer current: its sensor came off, or it went silent.
   */
  markDataStale(patientId: string, deviceId: string, stale: boolean, now: Date): AlertEvent[] {
    const at = now.toISOString();
    const events: AlertEvent[] = [];
    for (const [key, alert] of [...this.open]) {
      if (alert.patientId !== patientId || alert.deviceId !== deviceId) continue;
      if (alert.category !== 'physiological' || Boolean(alert.dataStale) === stale) continue;
      const { dataStale: _was, ...rest } = alert;
      const marked: Alert = { ...rest, ...(stale && { dataStale: true }), updatedAt: at };
      events.push(...this.record(key, marked, 'updated', at));
    }
    return events;
  }

  /**
   * Closes a patient's open alerts (those `which` selects) because she or her device left, not
   * because her condition cleared: resolved at once, with the reason, whatever their state.
   */
  withdraw(
    patientId: string,
    reason: AlertWithdrawalReason,
    now: Date,
    which: (alert: Alert) => boolean = () => true,
  ): AlertEvent[] {
    const at = now.toISOString();
    const events: AlertEvent[] = [];
    for (const [key, alert] of [...this.open]) {
      if (alert.patientId !== patientId || !which(alert)) continue;
      const resolved: Alert = {
        ...alert,
        state: 'resolved',
        resolvedAt: at,
        resolvedReason: reason,
        updatedAt: at,
      };
      events.push(...this.record(key, resolved, 'resolved', at));
    }
    return events;
  }

  /**
   * Escalates high-priority alerts left unacknowledged, and reminds of them after that; an alert
   * whose alarms are paused (`paused`) is neither escalated nor reminded of meanwhile.
   */
  tick(now: Date, paused: (alert: Alert) => boolean = () => false): AlertEvent[] {
    const at = now.toISOString();
    const events: AlertEvent[] = [];
    for (const [key, alert] of this.open) {
      if (alert.priority !== 'high' || alert.state === 'acknowledged' || paused(alert)) continue;
      const waited = now.getTime() - Date.parse(alert.raisedAt);
      if (alert.escalationLevel === 0 && waited >= this.policy.escalateAfterMs) {
        events.push(...this.escalated(key, alert, at));
      } else if (
        alert.escalationLevel > 0 &&
        now.getTime() - Date.parse(alert.remindedAt ?? alert.raisedAt) >= this.policy.remindEveryMs
      ) {
        events.push(...this.reminded(key, alert, at));
      }
    }
    return events;
  }

  /** Announced to the second audience (the ward's charge nurse) for the first time. */
  private escalated(key: string, alert: Alert, at: string): AlertEvent[] {
    return this.record(
      key,
      { ...alert, escalationLevel: 1, escalatedAt: at, remindedAt: at, updatedAt: at },
      'escalated',
      at,
    );
  }

  /** Announced to the second audience again. */
  private reminded(key: string, alert: Alert, at: string): AlertEvent[] {
    return this.record(key, { ...alert, remindedAt: at, updatedAt: at }, 'reminded', at);
  }

  private record(
    key: string,
    alert: Alert,
    kind: AlertEventKind,
    at: string,
    by?: string,
  ): AlertEvent[] {
    if (isOpen(alert)) this.open.set(key, alert);
    else this.open.delete(key);
    return [{ kind, at, ...(by && { by }), alert }];
  }
}

/**
 * The open alerts by key, with a count per patient of the physiological ones whose condition
 * still holds.
 */
class OpenAlerts {
  private readonly byKey = new Map<string, Alert>();
  private readonly holdingByPatient = new Map<string, number>();

  get(key: string): Alert | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  set(key: string, alert: Alert): void {
    this.count(this.byKey.get(key), -1);
    this.byKey.set(key, alert);
    this.count(alert, 1);
  }

  delete(key: string): void {
    this.count(this.byKey.get(key), -1);
    this.byKey.delete(key);
  }

  values(): IterableIterator<Alert> {
    return this.byKey.values();
  }

  [Symbol.iterator](): IterableIterator<[string, Alert]> {
    return this.byKey.entries();
  }

  holding(patientId: string): boolean {
    return (this.holdingByPatient.get(patientId) ?? 0) > 0;
  }

  private count(alert: Alert | undefined, by: 1 | -1): void {
    if (!alert || alert.state === 'latched' || alert.category !== 'physiological') return;
    const count = (this.holdingByPatient.get(alert.patientId) ?? 0) + by;
    if (count > 0) this.holdingByPatient.set(alert.patientId, count);
    else this.holdingByPatient.delete(alert.patientId);
  }
}

/** One open alert per condition on each patient, and on each ward for a ward's own alarms. */
function keyOf(subject: { patientId: string; ward?: string }, condition: string): string {
  const of = subject.ward === undefined ? subject.patientId : `ward\u0001${subject.ward}`;
  return `${of}\u0000${condition}`;
}
