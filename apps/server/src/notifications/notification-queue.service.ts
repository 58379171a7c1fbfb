import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import type { AlertEvent, NotificationPayload } from '@vigil/contracts';
import { NOTIFICATION_STORE, type NotificationStore } from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { PatientRegistry } from '../registry/patient-registry';
import { NotificationTargets } from './notification-targets';
import { NOTIFICATION_OPTIONS, type NotificationOptions } from './notification-options';
import { WebhookDelivery } from './webhook-delivery.service';

/**
 * Puts every announced alert event on the durable queue of each target that receives it, in the
 * order announced, then wakes their delivery. An event is on disk before anything is sent.
 */
@Injectable()
export class NotificationQueue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(NotificationQueue.name);
  private subscription?: Subscription;
  /** Events not queued because a target's queue was full, by target id. */
  readonly dropped = new Map<string, number>();

  constructor(
    private readonly alerts: AlertsService,
    private readonly targets: NotificationTargets,
    private readonly patients: PatientRegistry,
    private readonly delivery: WebhookDelivery,
    @Inject(NOTIFICATION_STORE) private readonly store: NotificationStore,
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationOptions,
  ) {}

  onModuleInit(): void {
    this.subscription = this.alerts.events$.subscribe((event) => this.queue(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private queue(event: AlertEvent): void {
    const receiving = this.targets.receiving(event.alert);
    if (receiving.length === 0) return;
    const targetIds = receiving.map(({ target }) => target.id);
    // Synchronous under the hood (the embedded store), so events keep the order announced.
    this.store
      .enqueue(
        `msg_${randomUUID()}`,
        JSON.stringify(this.payloadOf(event)),
        targetIds,
        Date.now(),
        this.options.maxQueuedPerTarget,
      )
      .then(({ dropped }) => {
        for (const targetId of dropped) {
          this.dropped.set(targetId, (this.dropped.get(targetId) ?? 0) + 1);
          this.logger.error(`notification queue of target ${targetId} is full: event dropped`);
        }
        for (const targetId of targetIds) this.delivery.wake(targetId);
      })
      .catch((error: unknown) =>
        this.logger.error(`alert event not queued for notification: ${String(error)}`),
      );
  }

  private payloadOf(event: AlertEvent): NotificationPayload {
    const { alert } = event;
    const patient = alert.patientId === '' ? undefined : this.patients.find(alert.patientId);
    const ward = this.targets.wardOf(alert);
    return {
      type: `alert.${event.kind}`,
      timestamp: event.at,
      data: {
        alert,
        ...(event.by !== undefined && { by: event.by }),
        ...(ward !== undefined && { ward }),
        ...(patient?.bed !== undefined && { bed: patient.bed }),
      },
    };
  }
}
