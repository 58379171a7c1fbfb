import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import type { AlarmPause, UserView } from '@vigil/contracts';
import { AlarmPauseDto } from '@vigil/dto';
import { CurrentUser, PatientWard, Roles } from '../auth/access.decorators';
import { AuditTrail } from '../registry/audit-trail';
import { PatientRegistry } from '../registry/patient-registry';

/**
 * Pausing a patient's alarms for a few minutes with a reason (IEC 60601-1-8 "alarm paused"), as
 * a nurse at the bedside does while repositioning her: conditions are still evaluated and
 * recorded; nothing is announced or escalated until the pause ends, when what is still open is
 * announced at once.
 */
@Controller('api/patients/:id/alarm-pause')
@PatientWard()
export class AlarmPauseController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly patients: PatientRegistry,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  current(@Param('id') id: string): { pause: AlarmPause | null } {
    this.patients.require(id);
    return { pause: this.alerts.pauseOf(id) ?? null };
  }

  @Post()
  @Roles('nurse', 'charge-nurse')
  @HttpCode(200)
  async pause(
    @Param('id') id: string,
    @Body() body: AlarmPauseDto,
    @CurrentUser() user: UserView,
  ): Promise<AlarmPause> {
    const { ward } = this.patients.requireAdmitted(id);
    const now = Date.now();
    const pause: AlarmPause = {
      patientId: id,
      scope: body.scope,
      reason: body.reason,
      by: user.username,
      from: new Date(now).toISOString(),
      until: new Date(now + body.minutes * 60_000).toISOString(),
    };
    // With the ward, for its alarm-load report.
    await this.audit.record(user.username, 'patient.alarms-paused', id, { ...pause, ward });
    this.alerts.pause(pause);
    return pause;
  }

  /** Ends the pause now; what it held back is announced. */
  @Delete()
  @Roles('nurse', 'charge-nurse')
  @HttpCode(204)
  async resume(@Param('id') id: string, @CurrentUser() user: UserView): Promise<void> {
    this.patients.require(id);
    const ended = this.alerts.resume(id);
    if (ended)
      await this.audit.record(user.username, 'patient.alarms-resumed', id, { scope: ended.scope });
  }
}
