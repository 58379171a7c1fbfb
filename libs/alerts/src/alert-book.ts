import type { Alert, AlertEvent, AlertPriority, Sample } from '@vigil/contracts';
import type { Breach, Evaluation } from '@vigil/rules';

const SEVERITY: Record<AlertPriority, number> = { high: 3, medium: 2, low: 1 };

/**
 * The active alerts, one per patient and condition. Pure: it turns a sample's evaluation into
 * alert events, with time and ids passed in, and leaves persistence and delivery to its caller.
 */
export class AlertBook {
  private readonly active = new Map<string, Alert>();

  constructor(private readonly newId: () => string) {}

  /** Loads alerts that were active before a restart. */
  restore(alerts: readonly Alert[]): void {
    for (const alert of alerts) {
      if (alert.state === 'active') this.active.set(keyOf(alert.patientId, alert.rule), alert);
    }
  }

  activeAlerts(): Alert[] {
    return [...this.active.values()];
  }

  apply(sample: Sample, evaluation: Evaluation, now: Date): AlertEvent[] {
    const at = now.toISOString();
    const events: AlertEvent[] = [];
    for (const breach of evaluation.breaches) {
      const event = this.recordBreach(sample, breach, at);
      if (event) events.push(event);
    }
    for (const condition of evaluation.cleared) {
      const key = keyOf(sample.patientId, condition);
      const alert = this.active.get(key);
      if (!alert) continue;
      this.active.delete(key);
      const resolved: Alert = { ...alert, state: 'resolved', updatedAt: at, resolvedAt: at };
      events.push({ kind: 'resolved', at, alert: resolved });
    }
    return events;
  }

  /** Raises a new alert, or folds a repeat into the active one; only a priority upgrade is news. */
  private recordBreach(sample: Sample, breach: Breach, at: string): AlertEvent | undefined {
    const key = keyOf(sample.patientId, breach.condition);
    const existing = this.active.get(key);
    if (!existing) {
      const alert: Alert = {
        id: this.newId(),
        patientId: sample.patientId,
        deviceId: sample.deviceId,
        rule: breach.condition,
        vital: breach.rule.vital,
        value: breach.value,
        threshold: breach.rule.threshold,
        priority: breach.rule.priority,
        state: 'active',
        raisedAt: at,
        ts: new Date(sample.ts).toISOString(),
        lastValue: breach.value,
        count: 1,
        updatedAt: at,
      };
      this.active.set(key, alert);
      return { kind: 'raised', at, alert };
    }
    const upgraded = SEVERITY[breach.rule.priority] > SEVERITY[existing.priority];
    const alert: Alert = {
      ...existing,
      lastValue: breach.value,
      count: existing.count + 1,
      ...(upgraded && {
        priority: breach.rule.priority,
        threshold: breach.rule.threshold,
        value: breach.value,
        ts: new Date(sample.ts).toISOString(),
        updatedAt: at,
      }),
    };
    this.active.set(key, alert);
    return upgraded ? { kind: 'updated', at, alert } : undefined;
  }
}

function keyOf(patientId: string, condition: string): string {
  return `${patientId}\u0000${condition}`;
}
