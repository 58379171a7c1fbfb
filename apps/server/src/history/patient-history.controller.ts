import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  Logger,
  Param,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  VITAL_NAMES,
  VITAL_SIGNS,
  type PatientHistory,
  type Stay,
  type UserView,
  type VitalName,
} from '@vigil/contracts';
import { HistoryQueryDto } from '@vigil/dto';
import { StoreBusyError, TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { CurrentUser, PatientWard } from '../auth/access.decorators';
import { AuditTrail } from '../registry/audit-trail';
import { PatientRegistry } from '../registry/patient-registry';
import { parseHistoryWindow } from './history-window';

const UNITS = Object.fromEntries(
  VITAL_NAMES.map((name) => [name, VITAL_SIGNS[name].unit]),
) as Record<VitalName, string>;

function clipToStay(
  window: { from: number; to: number },
  stay: Stay,
  now: number,
): { from: number; to: number } {
  const from = Math.max(window.from, Date.parse(stay.start));
  const to = Math.min(window.to, stay.end === undefined ? now : Date.parse(stay.end));
  return { from, to: Math.max(from, to) };
}

@Controller('api/patients/:id/vitals')
@PatientWard()
export class PatientHistoryController {
  private readonly logger = new Logger(PatientHistoryController.name);

  constructor(
    private readonly patients: PatientRegistry,
    private readonly audit: AuditTrail,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
  ) {}

  /**
   * `?from=&to=&every=`: ISO-8601 or epoch ms, and a duration (`30s`, `5m`, `1h`); at most a
   * week in at most 10,000 buckets. `stay`: within that stay (by default, all of it). Each read is recorded in the audit trail as an export of the
   * patient's data.
   */
  @Get()
  async history(
    @Param('id') patientId: string,
    @Query() query: HistoryQueryDto,
    @CurrentUser() user: UserView,
  ): Promise<PatientHistory> {
    this.patients.require(patientId);
    const now = Date.now();
    const stay =
      query.stay === undefined ? undefined : await this.patients.stayOf(patientId, query.stay);
    const parsed = parseHistoryWindow(
      stay ? { ...query, from: query.from ?? stay.start, to: query.to ?? stay.end } : query,
      now,
    );
    if ('problems' in parsed) throw new BadRequestException(parsed.problems);
    // Within the stay, whatever the bounds asked for.
    const window = stay ? { ...parsed, ...clipToStay(parsed, stay, now) } : parsed;
    await this.audit.recordExport(patientId, user.username, {
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
    });
    const points = await this.store
      .queryHistory({ patientId, ...window })
      .catch((error: unknown) => {
        if (error instanceof StoreBusyError) throw error;
        // The store's error may name internal hosts and ports: logged, not answered.
        this.logger.warn(`history of ${patientId} not read: ${String(error)}`);
        throw new ServiceUnavailableException({
          code: 'STORE.UNAVAILABLE',
          message: ['history cannot be read now; try again shortly'],
        });
      });
    return {
      patientId,
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
      everyMs: window.everyMs,
      units: UNITS,
      points: points.map((point) => ({
        ts: new Date(point.ts).toISOString(),
        vitals: point.vitals,
      })),
    };
  }
}
