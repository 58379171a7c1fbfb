import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  Param,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  VITAL_NAMES,
  VITAL_SIGNS,
  type PatientHistory,
  type UserView,
  type VitalName,
} from '@vigil/contracts';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { CurrentUser, PatientWard } from '../auth/access.decorators';
import { PatientNotFoundError } from '../registry/registry.errors';
import { RegistryService } from '../registry/registry.service';
import { parseHistoryWindow } from './history-window';

const UNITS = Object.fromEntries(
  VITAL_NAMES.map((name) => [name, VITAL_SIGNS[name].unit]),
) as Record<VitalName, string>;

@Controller('api/patients/:id/vitals')
@PatientWard()
export class PatientHistoryController {
  constructor(
    private readonly registry: RegistryService,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
  ) {}

  /**
   * `?from=&to=&every=`: ISO-8601 or epoch ms, and a duration (`30s`, `5m`, `1h`). Each read is
   * recorded in the audit trail as an export of the patient's data.
   */
  @Get()
  async history(
    @Param('id') patientId: string,
    @Query() query: { from?: string; to?: string; every?: string },
    @CurrentUser() user: UserView,
  ): Promise<PatientHistory> {
    if (!this.registry.findPatient(patientId)) throw new PatientNotFoundError(patientId);
    const window = parseHistoryWindow(query, Date.now());
    if ('problems' in window) throw new BadRequestException(window.problems);
    await this.registry.recordExport(patientId, user.username, {
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
    });
    const points = await this.store
      .queryHistory({ patientId, ...window })
      .catch((error: unknown) => {
        throw new ServiceUnavailableException({
          code: 'STORE.UNAVAILABLE',
          message: [
            `history cannot be read now: ${error instanceof Error ? error.message : String(error)}`,
          ],
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
