import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  Param,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { VITAL_NAMES, VITAL_SIGNS, type PatientHistory, type VitalName } from '@vigil/contracts';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { PatientNotFoundError } from '../registry/registry.errors';
import { RegistryService } from '../registry/registry.service';
import { parseHistoryWindow } from './history-window';

const UNITS = Object.fromEntries(
  VITAL_NAMES.map((name) => [name, VITAL_SIGNS[name].unit]),
) as Record<VitalName, string>;

@Controller('api/patients/:id/vitals')
export class PatientHistoryController {
  constructor(
    private readonly registry: RegistryService,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
  ) {}

  /** `?from=&to=&every=`: ISO-8601 or epoch ms, and a duration (`30s`, `5m`, `1h`). */
  @Get()
  async history(
    @Param('id') patientId: string,
    @Query() query: { from?: string; to?: string; every?: string },
  ): Promise<PatientHistory> {
    if (!this.registry.findPatient(patientId)) throw new PatientNotFoundError(patientId);
    const window = parseHistoryWindow(query, Date.now());
    if ('problems' in window) throw new BadRequestException(window.problems);
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
