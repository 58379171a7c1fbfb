import { Module, type DynamicModule } from '@nestjs/common';
import { ALERTS_OPTIONS, AlertsService, type AlertsOptions } from './alerts.service';

@Module({})
export class AlertsModule {
  static forRoot(options: AlertsOptions): DynamicModule {
    return {
      module: AlertsModule,
      global: true,
      providers: [{ provide: ALERTS_OPTIONS, useValue: options }, AlertsService],
      exports: [AlertsService],
    };
  }
}
