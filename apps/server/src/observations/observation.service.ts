import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PATIENT_OWNERSHIP, type PatientOwnership } from '@vigil/alerts';
import { LATE_OBSERVATION_MS, MAX_OBSERVATION_AGE_MS, type Observation } from '@vigil/contracts';
import type { ObservationDto } from '@vigil/dto';
import { ClinicalEvaluator, MAX_CLOCK_SKEW_MS } from '@vigil/ingest';
import { OBSERVED_STATE_FRESHNESS_MS, type News2Score } from '@vigil/rules';
import { OBSERVATION_STORE, auditEntry, type ObservationStore } from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import { parsePeriod } from '../operations/query-period';
import { PatientRegistry } from '../registry/patient-registry';
import { ObservationScheduleService } from './observation-schedule.service';

/** A page of a patient's observation sets. */
const MAX_OBSERVATIONS_PAGE = 500;
const DAY_MS = 24 * 3_600_000;

/**
 * The observation sets nurses record at the bedside: validated as a device's sample is, scored
 * with what the patient's devices measure, never edited, retracted when entered in error.
 */
@Injectable()
export class ObservationService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ObservationService.name);

  constructor(
    @Inject(OBSERVATION_STORE) private readonly store: ObservationStore,
    private readonly patients: PatientRegistry,
    private readonly evaluator: ClinicalEvaluator,
    private readonly schedule: ObservationScheduleService,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.adopt((patientId) => this.ownership.owns(patientId));
  }

  /**
   * The sets that still count for NEWS2 are taken back for the patients `covers` selects: after a
   * restart, or when this node comes to act for them.
   */
  async adopt(covers: (patientId: string) => boolean): Promise<void> {
    const valid = (await this.validRecent(undefined)).filter((set) => covers(set.patientId));
    this.evaluator.restoreObservations(valid);
    this.schedule.restore(valid);
    if (valid.length > 0) this.logger.log(`restored ${valid.length} observation sets`);
  }

  /** The set as it would be recorded, and the NEWS2 it would give; nothing is kept. */
  preview(patientId: string, input: ObservationDto, by: string): News2Score {
    return this.evaluator.previewObservation(this.draft(patientId, input, by));
  }

  async record(patientId: string, input: ObservationDto, by: string): Promise<Observation> {
    const draft = this.draft(patientId, input, by);
    const preview = this.evaluator.previewObservation(draft);
    const observation: Observation = {
      ...draft,
      news2: { total: preview.total, risk: preview.risk, complete: preview.complete },
    };
    await this.store.add(
      observation,
      auditEntry(by, 'observation.recorded', patientId, undefined, {
        observationId: observation.id,
        effectiveAt: observation.effectiveAt,
        vitals: observation.vitals,
      }),
    );
    this.evaluator.applyObservation(observation);
    this.schedule.recorded(observation);
    return observation;
  }

  /** Retracts a set; the patient's NEWS2 is scored again without it. */
  async enterInError(
    patientId: string,
    observationId: string,
    reason: string,
    by: string,
  ): Promise<Observation & { readonly news2After: News2Score }> {
    this.patients.requireAdmitted(patientId);
    const observation = await this.store.find(observationId);
    if (!observation || observation.patientId !== patientId)
      throw new NotFoundException({
        code: 'OBSERVATION.NOT_FOUND',
        message: [`patient ${patientId} has no observation ${observationId}`],
      });
    if (observation.enteredInError)
      throw new ConflictException({
        code: 'OBSERVATION.ENTERED_IN_ERROR',
        message: [`observation ${observationId} was already entered in error`],
      });
    const enteredInError = { at: new Date().toISOString(), by, reason };
    await this.store.markEnteredInError(
      observationId,
      enteredInError,
      auditEntry(
        by,
        'observation.entered-in-error',
        patientId,
        { observationId },
        undefined,
        reason,
      ),
    );
    const valid = await this.validRecent(patientId);
    const news2After = this.evaluator.retractObservation(patientId, observationId, valid);
    this.schedule.retracted(patientId, valid);
    return { ...observation, enteredInError, news2After };
  }

  /** Her sets taken within [from, to], newest first (by default the last day; at most a week). */
  list(patientId: string, from?: string, to?: string): Promise<Observation[]> {
    this.patients.require(patientId);
    const period = parsePeriod(
      { from, to },
      { now: Date.now(), defaultSpanMs: DAY_MS, maxSpanMs: 7 * DAY_MS },
    );
    if ('problems' in period) throw new BadRequestException(period.problems);
    return this.store.list({ patientId, ...period, limit: MAX_OBSERVATIONS_PAGE });
  }

  /** Validates and dates a set; it is hers, on her current stay. */
  private draft(patientId: string, input: ObservationDto, by: string): Observation {
    const patient = this.patients.requireAdmitted(patientId);
    const now = Date.now();
    const effective =
      typeof input.effectiveAt === 'number' ? input.effectiveAt : Date.parse(input.effectiveAt);
    const problems: string[] = [];
    if (effective > now + MAX_CLOCK_SKEW_MS)
      problems.push('effectiveAt may be at most 5 minutes ahead');
    if (effective < now - MAX_OBSERVATION_AGE_MS)
      problems.push('effectiveAt may be at most 24 hours back');
    const vitals = Object.fromEntries(
      Object.entries(input.vitals).filter(([, value]) => value !== undefined),
    ) as Observation['vitals'];
    if (Object.keys(vitals).length === 0)
      problems.push('vitals must hold at least one observation');
    if (problems.length > 0) throw new BadRequestException(problems);
    return {
      id: randomUUID(),
      patientId,
      stayId: patient.stayId,
      effectiveAt: new Date(effective).toISOString(),
      recordedAt: new Date(now).toISOString(),
      recordedBy: by,
      late: now - effective > LATE_OBSERVATION_MS,
      vitals,
      ...(input.oxygen && { oxygen: { ...input.oxygen } }),
      ...(input.note && { note: input.note }),
      news2: { total: 0, risk: 'low', complete: false },
    };
  }

  /** The sets that may still count for NEWS2: not retracted, on the patient's current stay. */
  private async validRecent(patientId: string | undefined): Promise<Observation[]> {
    const sets = await this.store.listValidSince(
      Date.now() - OBSERVED_STATE_FRESHNESS_MS,
      patientId,
    );
    return sets.filter((set) => {
      const patient = this.patients.find(set.patientId);
      return patient?.status === 'admitted' && patient.stayId === set.stayId;
    });
  }
}
