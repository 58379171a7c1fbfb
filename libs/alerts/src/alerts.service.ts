import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type {
  AlarmPause,
  AlarmPauseEvent,
  Alert,
  AlertEvent,
  AlertEventKind,
  AlertWithdrawalReason,
  Standby,
  StandbyEvent,
} from '@vigil/contracts';
import {
  ALERT_STORE,
  TELEMETRY_STORE,
  type AlertChangeQuery,
  type AlertQuery,
  type AlertStore,
  type AlertWithHistory,
  type TelemetryStore,
} from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import { Subject } from 'rxjs';
import { AlarmPauses, Inactivations, pauseCovers, standbyCovers } from './alarm-pauses';
import { AlertJournal } from './alert-journal';
import { AlertBook, isOpen, type BreachReport, type EscalationPolicy } from './alert-book';

/** A ward's own technical alarm: `value` against `threshold`, as the message explains. */
export type WardAlarm = Pick<BreachReport, 'value' | 'threshold' | 'priority' | 'message' | 'ts'>;
import { PATIENT_OWNERSHIP, ownerKeyOf, type PatientOwnership } from './patient-ownership';

/** What a pause holds back: the alarm's announcements. An acknowledgement or a resolution goes. */
const SILENCEABLE: ReadonlySet<AlertEventKind> = new Set([
  'raised',
  'updated',
  'latched',
  'escalated',
  'reminded',
]);

export const ALERTS_OPTIONS = Symbol('AlertsOptions');

/** How long an alert event waits to be durable before it is announced anyway. */
const ANNOUNCE_WAIT_MS = 250;
/** How long an action on an alert waits for its event to be durable before it answers anyway. */
const DURABLE_WAIT_MS = 5_000;
const JOURNAL_RETRY_MS = 1_000;

/** Resolves when `promise` does, or after `ms`, whichever is first. */
function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, waited]).finally(() => clearTimeout(timer));
}

export type AlertsOptions = EscalationPolicy;

export class AlertNotFoundError extends Error {
  constructor(readonly alertId: string) {
    super(`no open alert ${alertId}`);
  }
}

/** Keeps the alert book, persists every alert event, then announces it; escalates on time. */
@Injectable()
export class AlertsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertsService.name);
  private readonly book: AlertBook;
  private readonly pauses = new AlarmPauses();
  private readonly standbys = new Inactivations<Standby>(standbyCovers);
  /** Open alerts raised under a pause: unseen by consoles until it ends, then announced as new. */
  private readonly silenced = new Set<string>();
  /** Alerts consoles already show whose later changes a pause held back: announced when it ends. */
  private readonly heldChanges = new Set<string>();
  private readonly eventsSubject = new Subject<AlertEvent>();
  private ticker?: NodeJS.Timeout;
  readonly events$ = this.eventsSubject.asObservable();
  private readonly pausesSubject = new Subject<AlarmPauseEvent>();
  /** Pauses set, ended by time or resumed. */
  readonly pauses$ = this.pausesSubject.asObservable();
  private readonly standbysSubject = new Subject<StandbyEvent>();
  /** Standbys begun, ended by time or by a nurse. */
  readonly standbys$ = this.standbysSubject.asObservable();

  private readonly journal: AlertJournal;

  constructor(
    @Inject(ALERT_STORE) private readonly store: AlertStore,
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore,
    @Inject(ALERTS_OPTIONS) options: AlertsOptions,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
  ) {
    this.book = new AlertBook(() => randomUUID(), options);
    this.journal = new AlertJournal({
      write: (events) => this.store.writeAlertEvents(events),
      failed: (error, waiting) =>
        this.logger.error(
          `alert events not persisted yet (${waiting} waiting, tried again in ${JOURNAL_RETRY_MS} ms): ${String(error)}`,
        ),
      dropped: (events) =>
        this.logger.error(
          `${events} alert events given up: the database has not committed for too long`,
        ),
      retryMs: JOURNAL_RETRY_MS,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.adopt((patientId) => this.ownership.owns(patientId));
    this.ticker = setInterval(() => this.tick(new Date()), 1_000);
  }

  /**
   * Takes up the open alerts of the patients `covers` selects, from the store: at start, or when
   * this node comes to act for them. Their escalation continues from where the store has it.
   */
  async adopt(covers: (patientId: string) => boolean): Promise<void> {
    const open = (await this.store.openAlerts()).filter((alert) => covers(ownerKeyOf(alert)));
    this.book.restore(open);
    if (open.length > 0) this.logger.log(`restored ${open.length} open alerts`);
  }

  /**
   * Drops what this node held of the patients `covers` selects (another node acts for them
   * now): their open alerts, escalation, pauses and standbys. Nothing is written or announced.
   */
  release(covers: (patientId: string) => boolean): void {
    for (const alert of this.book.forget((open) => covers(ownerKeyOf(open)))) {
      this.silenced.delete(alert.id);
      this.heldChanges.delete(alert.id);
    }
    this.pauses.forget(covers);
    this.standbys.forget(covers);
  }

  onModuleDestroy(): void {
    clearInterval(this.ticker);
    this.journal.close();
  }

  /** Pauses a patient's alarms (replacing a pause in force); what it silences is recorded still. */
  pause(pause: AlarmPause): void {
    this.pauses.set(pause);
    this.pausesSubject.next({ patientId: pause.patientId, pause });
  }

  /** Ends a patient's pause now, announcing what it held back; returns the pause, if any. */
  resume(patientId: string): AlarmPause | undefined {
    const pause = this.pauses.end(patientId);
    if (pause) this.announceHeldBack(pause);
    return pause;
  }

  pauseOf(patientId: string, now = Date.now()): AlarmPause | undefined {
    return this.pauses.of(patientId, now);
  }

  /**
   * Puts a patient on standby (replacing one in force): the technical alarms it covers that are
   * open now are withdrawn, and her devices raise none until it ends.
   */
  async standby(standby: Standby): Promise<void> {
    this.standbys.set(standby);
    this.standbysSubject.next({ patientId: standby.patientId, standby });
    await this.withdraw(standby.patientId, 'standby', (alert) => standbyCovers(standby, alert));
  }

  /** Ends a patient's standby now; returns it if one was in force. */
  endStandby(patientId: string): Standby | undefined {
    const standby = this.standbys.end(patientId);
    if (standby) this.standbysSubject.next({ patientId, standby: null });
    return standby;
  }

  standbyOf(patientId: string, now = Date.now()): Standby | undefined {
    return this.standbys.of(patientId, now);
  }

  /** Alert events announced and not yet durable: the database is not committing. */
  get unwrittenEvents(): number {
    return this.journal.backlog;
  }

  /** The open alerts consoles may show: not those a pause is holding back. */
  announcedOpenAlerts(): Alert[] {
    return this.book.openAlerts().filter((alert) => !this.silenced.has(alert.id));
  }

  /** Whether a physiological alert of the patient is raised on a condition that still holds. */
  physiologicalAlarmHolds(patientId: string): boolean {
    return this.book.physiologicalAlarmHolds(patientId);
  }

  hasOpen(patientId: string, condition: string): boolean {
    return this.book.hasOpen(patientId, condition);
  }

  openAlerts(): Alert[] {
    return this.book.openAlerts();
  }

  changedSince(query: AlertChangeQuery): Promise<Alert[]> {
    return this.store.alertsChangedSince(query);
  }

  list(query: AlertQuery): Promise<AlertWithHistory[]> {
    return this.store.listAlerts(query);
  }

  /** A condition met; ignored for a patient another node acts for (hers decides). */
  breach(report: BreachReport): Promise<void> {
    if (!this.ownership.owns(ownerKeyOf(report))) return Promise.resolve();
    return this.commit(this.book.breach(report, new Date()));
  }

  clear(patientId: string, condition: string): Promise<void> {
    return this.commit(this.book.clear(patientId, condition, new Date()));
  }

  /**
   * Settles a ward-level technical condition (a failing notification target, charting to the EHR
   * stalled): the wards in `alarms` have it open, raised again when its message changed; every
   * other ward's is cleared. What is open is read from the alerts themselves, so nothing is
   * remembered twice and a restart or a failed write is settled on the next call.
   */
  async settleWardAlarms(condition: string, alarms: ReadonlyMap<string, WardAlarm>): Promise<void> {
    const open = new Map(
      this.book
        .openAlerts()
        .filter((alert) => alert.rule === condition && alert.ward !== undefined)
        .map((alert) => [alert.ward as string, alert]),
    );
    for (const [ward, alarm] of alarms) {
      if (open.get(ward)?.message === alarm.message) continue;
      await this.breach({
        patientId: '',
        ward,
        deviceId: '',
        category: 'technical',
        condition,
        vital: null,
        worse: 'above',
        ...alarm,
      });
    }
    for (const ward of open.keys())
      if (!alarms.has(ward)) await this.clearWardAlarm(ward, condition);
  }

  /** A ward's own alarm condition no longer holds. */
  clearWardAlarm(ward: string, condition: string): Promise<void> {
    return this.commit(this.book.clear('', condition, new Date(), ward));
  }

  /** Marks a device's open physiological alerts on a patient as based on stale data, or not. */
  markDataStale(patientId: string, deviceId: string, stale: boolean): Promise<void> {
    return this.commit(this.book.markDataStale(patientId, deviceId, stale, new Date()));
  }

  /** Resolves a patient's open alerts (or those `which` selects) as her stay or device changes. */
  withdraw(
    patientId: string,
    reason: AlertWithdrawalReason,
    which?: (alert: Alert) => boolean,
  ): Promise<void> {
    return this.commit(this.book.withdraw(patientId, reason, new Date(), which));
  }

  /** @throws AlertNotFoundError when no open alert has this id. */
  async acknowledge(alertId: string, by: string): Promise<Alert> {
    const result = this.book.acknowledge(alertId, by, new Date());
    if (!result.ok) throw new AlertNotFoundError(alertId);
    await this.commit(result.events);
    return (
      result.events[0]?.alert ??
      (this.book.openAlerts().find((alert) => alert.id === alertId) as Alert)
    );
  }

  /** Escalates an open alert at once. @throws AlertNotFoundError when no open alert has this id. */
  async escalate(alertId: string): Promise<Alert> {
    const result = this.book.escalate(alertId, new Date());
    if (!result.ok) throw new AlertNotFoundError(alertId);
    await this.commit(result.events);
    return result.events[0].alert;
  }

  /**
   * Hands the events to the journal (written in the order they happen, a failed write tried
   * again) and announces them once durable, so a console that reconnects finds in the store what
   * it missed while away; but after ANNOUNCE_WAIT_MS at most, so a stalled or failing disk delays
   * no alarm by more and silences none (the book already holds the alert, so its repeats would
   * never be announced either). Settles when they are durable, or after DURABLE_WAIT_MS.
   */
  private async commit(events: AlertEvent[]): Promise<void> {
    if (events.length === 0) return;
    const durable = this.journal.append(events);
    await settledWithin(durable, ANNOUNCE_WAIT_MS);
    this.announce(events);
    await settledWithin(durable, DURABLE_WAIT_MS - ANNOUNCE_WAIT_MS);
  }

  private announce(events: AlertEvent[]): void {
    // Beside the vitals for analysis (InfluxDB); an alarm never waits for it.
    this.telemetry
      .recordAlertEvents(events)
      .catch((error: unknown) =>
        this.logger.warn(`alert events not kept beside the vitals: ${String(error)}`),
      );
    const now = Date.now();
    for (const event of events) {
      const held = SILENCEABLE.has(event.kind) && this.pauses.silences(event.alert, now);
      this.logger.log(
        `alert ${event.alert.id} ${event.kind}${held ? ' (paused)' : ''}: ${event.alert.rule} patient=${event.alert.patientId}`,
      );
      if (held && isOpen(event.alert)) {
        const unseen = event.kind === 'raised' || this.silenced.has(event.alert.id);
        (unseen ? this.silenced : this.heldChanges).add(event.alert.id);
        continue;
      }
      if (!isOpen(event.alert)) {
        this.silenced.delete(event.alert.id);
        this.heldChanges.delete(event.alert.id);
      }
      if (held) continue;
      this.eventsSubject.next(event);
    }
  }

  private tick(now: Date): void {
    for (const pause of this.pauses.expire(now.getTime())) this.announceHeldBack(pause);
    for (const standby of this.standbys.expire(now.getTime()))
      this.standbysSubject.next({ patientId: standby.patientId, standby: null });
    void this.commit(this.book.tick(now, (alert) => this.pauses.silences(alert, now.getTime())));
  }

  /**
   * A pause ended: every alert it held back that is still open (its condition present, or a
   * high-priority one cleared unacknowledged) is announced now: as new if consoles never saw it,
   * as changed if they did.
   */
  private announceHeldBack(pause: AlarmPause): void {
    this.pausesSubject.next({ patientId: pause.patientId, pause: null });
    const at = new Date().toISOString();
    for (const alert of this.book.openAlerts()) {
      if (alert.patientId !== pause.patientId || !pauseCovers(pause, alert)) continue;
      const kind = this.silenced.has(alert.id)
        ? 'raised'
        : this.heldChanges.has(alert.id)
          ? 'updated'
          : undefined;
      if (!kind) continue;
      this.silenced.delete(alert.id);
      this.heldChanges.delete(alert.id);
      this.logger.log(`alert ${alert.id} announced after the pause (${kind}): ${alert.rule}`);
      this.eventsSubject.next({ kind, at, alert });
    }
  }
}
