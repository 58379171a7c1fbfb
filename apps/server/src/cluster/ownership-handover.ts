import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  AlertsService,
  PATIENT_OWNERSHIP,
  type OwnershipChange,
  type PatientOwnership,
} from '@vigil/alerts';
import { ClinicalEvaluator, DeviceWatchService } from '@vigil/ingest';
import { WebhookDelivery } from '../notifications/webhook-delivery.service';
import { ObservationScheduleService } from '../observations/observation-schedule.service';
import { ObservationService } from '../observations/observation.service';

/**
 * Takes up, or drops, everything clinical about the patients of a partition as this node comes
 * to act for them or stops: open alerts first (what the others restore from), then rule state,
 * the watch of their devices, their observation sets and reminders; and, with WARDS_KEY's
 * partition, the delivery of notifications.
 */
@Injectable()
export class OwnershipHandover implements OnModuleInit {
  constructor(
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
    private readonly alerts: AlertsService,
    private readonly evaluator: ClinicalEvaluator,
    private readonly watch: DeviceWatchService,
    private readonly observations: ObservationService,
    private readonly schedule: ObservationScheduleService,
    private readonly delivery: WebhookDelivery,
  ) {}

  onModuleInit(): void {
    this.ownership.handOverWith((change) => this.apply(change));
  }

  private async apply({ kind, covers }: OwnershipChange): Promise<void> {
    if (kind === 'gained') {
      await this.alerts.adopt(covers);
      await this.evaluator.adopt(covers);
      this.watch.adopt(covers);
      this.schedule.adopt(covers);
      await this.observations.adopt(covers);
      // Once the partition counts as this node's: the delivery of notifications, if it came.
      setImmediate(() => this.delivery.wakeAll());
      return;
    }
    this.schedule.release(covers);
    this.watch.release(covers);
    this.evaluator.release(covers);
    this.alerts.release(covers);
  }
}
