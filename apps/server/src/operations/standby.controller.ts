import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
} from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import { MAX_STANDBY_HOURS, type Standby, type UserView } from '@vigil/contracts';
import { StandbyDto } from '@vigil/dto';
import { CurrentUser, PatientWard, Roles } from '../auth/access.decorators';
import { AuditTrail } from '../registry/audit-trail';
import { PatientRegistry } from '../registry/patient-registry';

/**
 * Standby for a patient off the ward (imaging, theatre) until a time: her devices raise no
 * alarm of lost data meanwhile; physiological alarms go on with whatever data still arrives.
 */
@Controller('api/patients/:id/standby')
@PatientWard()
export class StandbyController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly patients: PatientRegistry,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  current(@Param('id') id: string): { standby: Standby | null } {
    this.patients.require(id);
    return { standby: this.alerts.standbyOf(id) ?? null };
  }

  @Post()
  @Roles('nurse', 'charge-nurse')
  @HttpCode(200)
  async begin(
    @Param('id') id: string,
    @Body() body: StandbyDto,
    @CurrentUser() user: UserView,
  ): Promise<Standby> {
    const { ward } = this.patients.requireAdmitted(id);
    const now = Date.now();
    const until = Date.parse(body.until);
    if (until <= now || until > now + MAX_STANDBY_HOURS * 3_600_000)
      throw new BadRequestException({
        code: 'STANDBY.UNTIL',
        message: [`until must be in the future, at most ${MAX_STANDBY_HOURS} hours ahead`],
      });
    const standby: Standby = {
      patientId: id,
      reason: body.reason,
      by: user.username,
      from: new Date(now).toISOString(),
      until: new Date(until).toISOString(),
    };
    await this.audit.record(user.username, 'patient.standby-begun', id, { ...standby, ward });
    await this.alerts.standby(standby);
    return standby;
  }

  /** She is back: what still holds on her devices is announced. */
  @Delete()
  @Roles('nurse', 'charge-nurse')
  @HttpCode(204)
  async end(@Param('id') id: string, @CurrentUser() user: UserView): Promise<void> {
    this.patients.require(id);
    const ended = this.alerts.endStandby(id);
    if (ended)
      await this.audit.record(user.username, 'patient.standby-ended', id, { until: ended.until });
  }
}
