import {
  Body,
  Controller,
  ForbiddenException,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { AlertNotFoundError, AlertsService } from '@vigil/alerts';
import type { Alert } from '@vigil/contracts';
import { AlertResponseDto } from '@vigil/dto';
import type { Request } from 'express';
import { Public } from '../auth/access.decorators';
import { AuditTrail } from '../registry/audit-trail';
import { NotificationTargets } from './notification-targets';

const SIGNATURE_REFUSED = {
  code: 'NOTIFICATION.SIGNATURE',
  message: ['the webhook signature does not verify with the named target'],
};

/**
 * What a phone or pager gateway reports back of an alert it carried, signed the Standard
 * Webhooks way with its target's secret (no user signs in): `accepted` acknowledges the alert in
 * the recipient's name, `rejected` escalates it at once, `delivered` and `read` are recorded.
 */
@Public()
@Controller('api/alerts/:id/responses')
export class AlertResponsesController {
  constructor(
    private readonly targets: NotificationTargets,
    private readonly alerts: AlertsService,
    private readonly audit: AuditTrail,
  ) {}

  @Post()
  @HttpCode(200)
  async respond(
    @Param('id') alertId: string,
    @Body() body: AlertResponseDto,
    @Headers() headers: Record<string, string>,
    @Req() request: Request & { rawBody?: Buffer },
  ): Promise<Alert> {
    const known = this.targets.find(body.targetId);
    if (!known || !request.rawBody) throw new UnauthorizedException(SIGNATURE_REFUSED);
    try {
      known.webhook.verify(request.rawBody, headers);
    } catch {
      throw new UnauthorizedException(SIGNATURE_REFUSED);
    }
    const open = this.alerts.openAlerts().find((alert) => alert.id === alertId);
    if (!open)
      throw new NotFoundException({
        code: 'ALERT.NOT_OPEN',
        message: [`no open alert ${alertId}`],
      });
    if (known.target.ward !== undefined && known.target.ward !== this.targets.wardOf(open))
      throw new ForbiddenException({
        code: 'AUTH.WARD',
        message: ['this alert is not on the ward the target serves'],
      });
    const by = `${body.recipient} via ${known.target.name}`;
    await this.audit.record(by, `alert.${body.response}`, alertId, {
      targetId: known.target.id,
      rule: open.rule,
      patientId: open.patientId,
    });
    try {
      if (body.response === 'accepted') return await this.alerts.acknowledge(alertId, by);
      if (body.response === 'rejected') return await this.alerts.escalate(alertId);
    } catch (error) {
      if (error instanceof AlertNotFoundError)
        throw new NotFoundException({ code: 'ALERT.NOT_OPEN', message: [error.message] });
      throw error;
    }
    return open;
  }
}
