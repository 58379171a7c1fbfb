import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { AlertNotFoundError, AlertsService } from '@vigil/alerts';
import { ALERT_STATES, AcknowledgeAlertDto, type Alert, type AlertState } from '@vigil/contracts';
import type { AlertWithHistory } from '@vigil/storage';
import { parseInstant } from '../history/history-window';

@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /**
   * Alerts with their history, newest first. `state`: one of the alert states, or `open` (active,
   * acknowledged or latched); `from`/`to` bound when they were raised (ISO-8601 or epoch ms).
   */
  @Get()
  async list(
    @Query() query: { state?: string; patientId?: string; from?: string; to?: string },
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
      .filter((alert) => query.state !== 'open' || live.has(alert.id));
  }

  /** Acknowledges an open alert for a named user; every console sees `alert:updated`. */
  @Post(':id/ack')
  @HttpCode(200)
  async acknowledge(@Param('id') id: string, @Body() body: AcknowledgeAlertDto): Promise<Alert> {
    try {
      return await this.alerts.acknowledge(id, body.by);
    } catch (error) {
      if (error instanceof AlertNotFoundError)
        throw new NotFoundException({ code: 'ALERT.NOT_OPEN', message: [error.message] });
      throw error;
    }
  }
}
