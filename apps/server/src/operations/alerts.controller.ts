import { Controller, Get } from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import type { Alert } from '@vigil/contracts';

@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /** The active alerts, newest first. */
  @Get()
  active(): Alert[] {
    return this.alerts.activeAlerts().sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  }
}
