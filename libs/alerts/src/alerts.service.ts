import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Alert, AlertEvent, Sample } from '@vigil/contracts';
import type { Evaluation } from '@vigil/rules';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import { Subject } from 'rxjs';
import { AlertBook } from './alert-book';

/** Keeps the alert book, persists every alert event, then announces it. */
@Injectable()
export class AlertsService implements OnModuleInit {
  private readonly logger = new Logger(AlertsService.name);
  private readonly book = new AlertBook(() => randomUUID());
  private readonly eventsSubject = new Subject<AlertEvent>();
  readonly events$ = this.eventsSubject.asObservable();

  constructor(@Inject(TELEMETRY_STORE) private readonly store: TelemetryStore) {}

  async onModuleInit(): Promise<void> {
    const active = await this.store.activeAlerts();
    this.book.restore(active);
    if (active.length > 0) this.logger.log(`restored ${active.length} active alerts`);
  }

  activeAlerts(): Alert[] {
    return this.book.activeAlerts();
  }

  async record(sample: Sample, evaluation: Evaluation): Promise<void> {
    const events = this.book.apply(sample, evaluation, new Date());
    if (events.length === 0) return;
    await this.store.writeAlertEvents(events);
    for (const event of events) {
      this.logger.log(
        `alert ${event.alert.id} ${event.kind}: ${event.alert.rule} patient=${event.alert.patientId}`,
      );
      this.eventsSubject.next(event);
    }
  }
}
