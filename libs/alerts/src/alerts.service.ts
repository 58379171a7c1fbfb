import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Alert, AlertEvent, AlertWithdrawalReason } from '@vigil/contracts';
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
import { AlertBook, type BreachReport, type EscalationPolicy } from './alert-book';

export const ALERTS_OPTIONS = Symbol('AlertsOptions');

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
  private readonly eventsSubject = new Subject<AlertEvent>();
  private ticker?: NodeJS.Timeout;
  readonly events$ = this.eventsSubject.asObservable();

  constructor(
    @Inject(ALERT_STORE) private readonly store: AlertStore,
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore,
    @Inject(ALERTS_OPTIONS) options: AlertsOptions,
  ) {
    this.book = new AlertBook(() => randomUUID(), options);
  }

  async onModuleInit(): Promise<void> {
    const open = await this.store.openAlerts();
    this.book.restore(open);
    if (open.length > 0) this.logger.log(`restored ${open.length} open alerts`);
    this.ticker = setInterval(() => void this.commit(this.book.tick(new Date())), 1_000);
  }

  onModuleDestroy(): void {
    clearInterval(this.ticker);
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

  breach(report: BreachReport): Promise<void> {
    return this.commit(this.book.breach(report, new Date()));
  }

  clear(patientId: string, condition: string): Promise<void> {
    return this.commit(this.book.clear(patientId, condition, new Date()));
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

  /**
   * Persists, then announces. A failed write must not silence an alert: the book already holds
   * it, so its repeats would never be announced either. The nurse is told in any case, and the
   * failure is logged as an error (a restart would then not restore this event).
   */
  private async commit(events: AlertEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.store.writeAlertEvents(events);
    } catch (error) {
      this.logger.error(`alert events not persisted (${events.length}): ${String(error)}`);
    }
    // Beside the vitals for analysis (InfluxDB); an alarm never waits for it.
    this.telemetry
      .recordAlertEvents(events)
      .catch((error: unknown) =>
        this.logger.warn(`alert events not kept beside the vitals: ${String(error)}`),
      );
    for (const event of events) {
      this.logger.log(
        `alert ${event.alert.id} ${event.kind}: ${event.alert.rule} patient=${event.alert.patientId}`,
      );
      this.eventsSubject.next(event);
    }
  }
}
