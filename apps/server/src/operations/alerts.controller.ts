import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { AlertNotFoundError, AlertsService } from '@vigil/alerts';
import {
  ALERT_STATES,
  seesWard,
  type Alert,
  type AlertState,
  type UserView,
} from '@vigil/contracts';
import type { AlertWithHistory } from '@vigil/storage';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { parseInstant } from '../history/history-window';
import { RegistryService } from '../registry/registry.service';

@Controller('api/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly registry: RegistryService,
  ) {}

  /**
   * Alerts with their history, newest first. `state`: one of the alert states, or `open` (active,
   * acknowledged or latched); `from`/`to` bound when they were raised (ISO-8601 or epoch ms).
   * Only the alerts of the user's wards.
   */
  @Get()
  async list(
    @Query() query: { state?: string; patientId?: string; from?: string; to?: string },
    @CurrentUser() user: UserView,
  ): Promise<AlertWithHistory[]> {
    const problems: string[] = [];
    if (
      query.state &&
      query.state !== 'open' &&
      !(ALERT_STATES as readonly string[]).includes(query.state)
    ) {
      problems.push(`state must be open or one of ${ALERT_STATES.join(', ')}`);
    }
    const bound = (name: 'from' | 'to') => {
      if (!query[name]) return undefined;
      const ms = parseInstant(query[name] as string);
      if (ms === undefined)
        problems.push(`${name} must be ISO-8601 with a time zone, or epoch milliseconds`);
      return ms === undefined ? undefined : new Date(ms).toISOString();
    };
    const from = bound('from');
    const to = bound('to');
    if (problems.length > 0) throw new BadRequestException(problems);
    const stored = await this.alerts.list({
      state: query.state && query.state !== 'open' ? (query.state as AlertState) : undefined,
      patientId: query.patientId,
      from,
      to,
    });
    // Open alerts are fresher in memory: repeats update counts without an event.
    const live = new Map(this.alerts.openAlerts().map((alert) => [alert.id, alert]));
    return stored
      .map((alert) => ({ ...alert, ...live.get(alert.id) }))
      .filter((alert) => query.state !== 'open' || live.has(alert.id))
      .filter((alert) => this.visible(user, alert));
  }

  /** Acknowledges an open alert of the nurse's ward in her name; her ward's consoles see `alert:updated`. */
  @Post(':id/ack')
  @Roles('nurse', 'charge-nurse')
  @HttpCode(200)
  async acknowledge(@Param('id') id: string, @CurrentUser() user: UserView): Promise<Alert> {
    const open = this.alerts.openAlerts().find((alert) => alert.id === id);
    if (open && !this.visible(user, open))
      throw new ForbiddenException({
        code: 'AUTH.WARD',
        message: ['this alert is on a ward you are not assigned to'],
      });
    try {
      return await this.alerts.acknowledge(id, user.username);
    } catch (error) {
      if (error instanceof AlertNotFoundError)
        throw new NotFoundException({ code: 'ALERT.NOT_OPEN', message: [error.message] });
      throw error;
    }
  }

  private visible(user: UserView, alert: Alert): boolean {
    return seesWard(user, this.registry.findPatient(alert.patientId)?.ward);
  }
}
