import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Inject,
  Query,
} from '@nestjs/common';
import { alarmLoadReport } from '@vigil/alerts';
import { seesWard, type AlarmLoadReport, type UserView } from '@vigil/contracts';
import { AlarmLoadQueryDto } from '@vigil/dto';
import { ALERT_STORE, type AlertStore } from '@vigil/storage';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { parsePeriod } from '../operations/query-period';
import { PatientRegistry } from '../registry/patient-registry';

const DAY_MS = 86_400_000;
/** The longest period one report covers. */
export const MAX_ALARM_LOAD_DAYS = 31;
/** The most alarms one report reads; beyond, it says it is truncated. */
export const MAX_ALARM_LOAD_ALARMS = 200_000;
/** The patients named in a report, most alarms first. */
const MAX_PATIENTS_LISTED = 50;

/**
 * How many alarms a ward lived with and what became of them: how a ward tunes its thresholds.
 * For the ward's charge nurses, administrators and auditors; read on the reader thread.
 */
@Controller('api/reports')
export class AlarmLoadController {
  constructor(
    @Inject(ALERT_STORE) private readonly alerts: AlertStore,
    private readonly patients: PatientRegistry,
  ) {}

  @Get('alarm-load')
  @Roles('charge-nurse', 'admin', 'auditor')
  async alarmLoad(
    @Query() query: AlarmLoadQueryDto,
    @CurrentUser() user: UserView,
  ): Promise<AlarmLoadReport> {
    if (!seesWard(user, query.ward))
      throw new ForbiddenException({ code: 'AUTH.WARD', message: ['not one of your wards'] });
    const period = parsePeriod(query, {
      now: Date.now(),
      defaultSpanMs: 7 * DAY_MS,
      maxSpanMs: MAX_ALARM_LOAD_DAYS * DAY_MS,
    });
    if ('problems' in period)
      throw new BadRequestException({ code: 'REPORT.PERIOD', message: period.problems });
    const { from, to } = period;
    const rows = await this.alerts.alarmLoad({
      ward: query.ward,
      from,
      to,
      limit: MAX_ALARM_LOAD_ALARMS,
    });
    const report = alarmLoadReport(rows, { ward: query.ward, from, to });
    return {
      ...report,
      byPatient: report.byPatient.slice(0, MAX_PATIENTS_LISTED).map((entry) => {
        const patient = this.patients.find(entry.patientId);
        return {
          ...entry,
          ...(patient && { name: patient.name }),
          ...(patient?.bed !== undefined && { bed: patient.bed }),
        };
      }),
    };
  }
}
