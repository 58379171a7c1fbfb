import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { AlertResponsesController } from './alert-responses.controller';
import { NOTIFICATION_OPTIONS, type NotificationOptions } from './notification-options';
import { NotificationQueue } from './notification-queue.service';
import { NotificationTargets } from './notification-targets';
import { NotificationTargetsController } from './notification-targets.controller';
import { WebhookDelivery } from './webhook-delivery.service';

/** Alert events beyond the console: signed webhooks to phone and pager gateways, and their answers. */
@Module({})
export class NotificationsModule {
  static forRoot(options: {
    readonly imports: ModuleMetadata['imports'];
    readonly options: NotificationOptions;
  }): DynamicModule {
    return {
      module: NotificationsModule,
      imports: options.imports,
      controllers: [NotificationTargetsController, AlertResponsesController],
      providers: [
        NotificationTargets,
        NotificationQueue,
        WebhookDelivery,
        { provide: NOTIFICATION_OPTIONS, useValue: options.options },
      ],
      exports: [NotificationQueue, WebhookDelivery, NotificationTargets],
    };
  }
}
