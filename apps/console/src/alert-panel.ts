import { VITAL_SIGNS, byUrgency, type Alert } from '@vigil/contracts';
import type { AlarmSound } from './alarm-sound';
import { byId, make, unitLabel } from './dom';

/** A shape with each priority, so colour is never the only cue. */
const PRIORITY_MARK = { high: '▲▲▲', medium: '▲▲', low: '▲' } as const;
/** How often an unacknowledged alert sounds again. */
const REPEAT_MS = { high: 10_000, medium: 30_000, low: 0 } as const;

/** What the alert is about, in words a nurse reads at a glance. */
export function describeAlert(alert: Alert): string {
  if (alert.message) return alert.message;
  if (alert.vital === null) return `${alert.rule.replace('device.', 'Device: ')} (${alert.value})`;
  const definition = VITAL_SIGNS[alert.vital];
  const [, direction] = alert.rule.split('.');
  return `${definition.display} ${alert.value} ${unitLabel(definition.unit)} (${direction} ${alert.threshold})`;
}

/**
 * The open alerts, worst first, in a panel that stays on top of the page. A new alert is sounded
 * and announced to screen readers; unacknowledged ones sound again until someone acknowledges.
 */
export class AlertPanel {
  private readonly open = new Map<string, Alert>();
  private readonly lastSounded = new Map<string, number>();
  /** The `updatedAt` of the last change seen, for the reconnect handshake. */
  lastChange?: string;
  /** Nurses and charge nurses acknowledge; administrators and auditors only look. */
  canAcknowledge = false;

  constructor(
    private readonly sound: AlarmSound,
    private readonly nameOf: (patientId: string) => string,
    private readonly acknowledge: (alertId: string) => void,
    private readonly changed: () => void,
  ) {
    setInterval(() => this.repeatSounds(Date.now()), 1_000);
  }

  openAlerts(): Alert[] {
    return [...this.open.values()];
  }

  /** Forgets everything, when the user signs out. */
  clear(): void {
    this.open.clear();
    this.lastSounded.clear();
    this.lastChange = undefined;
    this.render();
  }

  /** A patient who left the viewer's wards: her alerts are no longer this screen's. */
  forgetPatient(patientId: string): void {
    for (const [id, alert] of this.open) if (alert.patientId === patientId) this.open.delete(id);
    this.render();
    this.changed();
  }

  receive(alert: Alert, isNew: boolean): void {
    if (!this.lastChange || alert.updatedAt > this.lastChange) this.lastChange = alert.updatedAt;
    const known = this.open.get(alert.id);
    if (alert.state === 'resolved') this.open.delete(alert.id);
    else this.open.set(alert.id, alert);
    const worsened = known && known.priority !== alert.priority;
    if (alert.state === 'active' && (isNew ? !known : worsened)) this.announce(alert);
    this.render();
    this.changed();
  }

  render(): void {
    const sorted = this.openAlerts().sort(
      (a, b) =>
        Number(a.state === 'acknowledged') - Number(b.state === 'acknowledged') ||
        byUrgency(a, b) ||
        b.raisedAt.localeCompare(a.raisedAt),
    );
    byId('alerts').replaceChildren(...sorted.map((alert) => this.renderAlert(alert)));
    byId('alert-count').textContent = String(sorted.length);
    byId('no-alerts').hidden = sorted.length > 0;
  }

  private renderAlert(alert: Alert): HTMLElement {
    const item = make('li', undefined, 'alert');
    item.dataset.alertId = alert.id;
    item.dataset.priority = alert.priority;
    item.dataset.state = alert.state;
    const button = make('button', 'Acknowledge', 'ack');
    button.type = 'button';
    button.hidden = alert.state === 'acknowledged' || !this.canAcknowledge;
    button.addEventListener('click', () => this.acknowledge(alert.id));
    const state =
      alert.state === 'acknowledged'
        ? `acknowledged by ${alert.acknowledgedBy}`
        : alert.state === 'latched'
          ? 'cleared, not yet acknowledged'
          : alert.escalationLevel > 0
            ? 'escalated'
            : 'active';
    item.append(
      make('span', `${PRIORITY_MARK[alert.priority]} ${alert.priority}`, 'priority'),
      make('span', `${this.subjectOf(alert)}: ${describeAlert(alert)}`, 'what'),
      make('span', state, 'state'),
      make('time', new Date(alert.raisedAt).toLocaleTimeString()),
      button,
    );
    return item;
  }

  /** Whom the alert is about: a patient, or a whole ward. */
  private subjectOf(alert: Alert): string {
    return alert.ward === undefined ? this.nameOf(alert.patientId) : `Ward ${alert.ward}`;
  }

  private announce(alert: Alert): void {
    // Each announcement is added, not replaced, so a screen reader reads every one in turn.
    const announcer = byId('announcer');
    announcer.append(
      make(
        'p',
        `${alert.priority} priority alert: ${this.subjectOf(alert)}, ${describeAlert(alert)}`,
      ),
    );
    while (announcer.childElementCount > 5) announcer.firstElementChild?.remove();
    this.sound.play(alert.priority);
    this.lastSounded.set(alert.id, Date.now());
  }

  private repeatSounds(now: number): void {
    const due = this.openAlerts()
      .filter((alert) => alert.state === 'active' || alert.state === 'latched')
      .filter(
        (alert) =>
          REPEAT_MS[alert.priority] > 0 &&
          now - (this.lastSounded.get(alert.id) ?? 0) >= REPEAT_MS[alert.priority],
      )
      .sort(byUrgency);
    if (due.length === 0) return;
    this.sound.play(due[0].priority);
    for (const alert of due) this.lastSounded.set(alert.id, now);
  }
}
