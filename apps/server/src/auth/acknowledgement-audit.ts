import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import { REGISTRY_STORE, type RegistryStore } from '@vigil/storage';
import { filter, mergeMap, type Subscription } from 'rxjs';

/**
 * Puts every acknowledgement in the audit trail beside logins and changes, whichever way it
 * came (console or HTTP). The alert's own history keeps it as well.
 */
@Injectable()
export class AcknowledgementAudit implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AcknowledgementAudit.name);
  private subscription?: Subscription;

  constructor(
    private readonly alerts: AlertsService,
    @Inject(REGISTRY_STORE) private readonly audit: RegistryStore,
  ) {}

  onModuleInit(): void {
    this.subscription = this.alerts.events$
      .pipe(
        filter((event) => event.kind === 'acknowledged'),
        mergeMap(async ({ alert }) => {
          try {
            await this.audit.recordAudit({
              at: alert.acknowledgedAt ?? new Date().toISOString(),
              actor: alert.acknowledgedBy ?? 'unknown',
              action: 'alert.acknowledged',
              subject: alert.id,
              newValue: { patientId: alert.patientId, rule: alert.rule, priority: alert.priority },
            });
          } catch (error) {
            this.logger.error(`acknowledgement of ${alert.id} not audited: ${String(error)}`);
          }
        }),
      )
      .subscribe();
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
