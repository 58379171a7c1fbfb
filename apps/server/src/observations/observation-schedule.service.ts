import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AlertsService, PATIENT_OWNERSHIP, type PatientOwnership } from '@vigil/alerts';
import type { Observation } from '@vigil/contracts';
import { ClinicalEvaluator } from '@vigil/ingest';
import { nextObservationDue, observationIntervalMs } from '@vigil/rules';
import { PatientRegistry } from '../registry/patient-registry';

export const OBSERVATION_OVERDUE = 'observation.overdue';
/** How often every admitted patient's schedule is checked; the reminder is low priority. */
const CHECK_EVERY_MS = 5_000;

/**
 * When each patient's next set of observations is due, by her NEWS2, and a low-priority reminder
 * to her ward (`observation.overdue`) while it is overdue, cleared by the next set.
 */
@Injectable()
export class ObservationScheduleService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ObservationScheduleService.name);
  /** The time her latest valid set on this stay was taken, epoch ms. */
  private readonly lastSetAt = new Map<string, number>();
  private readonly overdue = new Set<string>();
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly patients: PatientRegistry,
    private readonly evaluator: ClinicalEvaluator,
    private readonly alerts: AlertsService,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
  ) {}

  onApplicationBootstrap(): void {
    this.adopt((patientId) => this.ownership.owns(patientId));
    this.ticker = setInterval(() => this.checkAll(Date.now()), CHECK_EVERY_MS);
  }

  /** Takes up the reminders open for the patients `covers` selects, after their open alerts. */
  adopt(covers: (patientId: string) => boolean): void {
    for (const alert of this.alerts.openAlerts())
      if (alert.rule === OBSERVATION_OVERDUE && covers(alert.patientId))
        this.overdue.add(alert.patientId);
  }

  /** Forgets the schedules of the patients `covers` selects: another node acts for them now. */
  release(covers: (patientId: string) => boolean): void {
    for (const patientId of [...this.lastSetAt.keys()])
      if (covers(patientId)) this.lastSetAt.delete(patientId);
    for (const patientId of [...this.overdue])
      if (covers(patientId)) this.overdue.delete(patientId);
  }

  onModuleDestroy(): void {
    clearInterval(this.ticker);
  }

  /** When her next set is due (epoch ms), or undefined for a patient not admitted. */
  dueOf(patientId: string, now = Date.now()): number | undefined {
    return this.scheduleOf(patientId, now)?.due;
  }

  /** Her NEWS2 now and the due time it sets, or undefined for a patient not admitted. */
  private scheduleOf(patientId: string, now: number) {
    const patient = this.patients.find(patientId);
    if (patient?.status !== 'admitted') return undefined;
    const score = this.evaluator.news2Of(patientId, now);
    const due = nextObservationDue(
      this.lastSetAt.get(patientId),
      Date.parse(patient.admittedAt),
      score,
    );
    return { score, due };
  }

  /** The sets still valid after a restart (the observation service reads them once for both). */
  restore(sets: readonly Observation[]): void {
    for (const set of sets) this.taken(set);
  }

  /** A set recorded: her schedule starts again from it. */
  recorded(set: Observation): void {
    this.taken(set);
    this.check(set.patientId, Date.now());
  }

  /** A set retracted: her schedule runs from the latest set still valid, `valid` newest last. */
  retracted(patientId: string, valid: readonly Observation[]): void {
    this.lastSetAt.delete(patientId);
    for (const set of valid) if (set.patientId === patientId) this.taken(set);
    this.check(patientId, Date.now());
  }

  private taken(set: Observation): void {
    const patient = this.patients.find(set.patientId);
    if (patient?.stayId !== set.stayId) return;
    const at = Date.parse(set.effectiveAt);
    if (at > (this.lastSetAt.get(set.patientId) ?? -Infinity))
      this.lastSetAt.set(set.patientId, at);
  }

  private checkAll(now: number): void {
    for (const patient of this.patients.list())
      if (this.ownership.owns(patient.id)) this.check(patient.id, now);
    // A patient discharged meanwhile: her reminder was withdrawn with her other alerts.
    for (const patientId of this.overdue)
      if (this.patients.find(patientId)?.status !== 'admitted') this.overdue.delete(patientId);
  }

  private check(patientId: string, now: number): void {
    const schedule = this.scheduleOf(patientId, now);
    if (!schedule) return;
    const { score, due } = schedule;
    const isOverdue = now > due;
    if (isOverdue === this.overdue.has(patientId)) return;
    if (!isOverdue) {
      this.overdue.delete(patientId);
      this.report(this.alerts.clear(patientId, OBSERVATION_OVERDUE));
      return;
    }
    this.overdue.add(patientId);
    const everyMinutes = Math.round(observationIntervalMs(score) / 60_000);
    this.report(
      this.alerts.breach({
        patientId,
        deviceId: '',
        category: 'care',
        condition: OBSERVATION_OVERDUE,
        vital: null,
        value: Math.round((now - due) / 60_000),
        threshold: everyMinutes,
        priority: 'low',
        worse: 'above',
        ts: now,
        message: `Observations overdue since ${new Date(due).toISOString()}: due every ${everyMinutes} min at NEWS2 ${score.total}.`,
      }),
    );
  }

  private report(done: Promise<void>): void {
    done.catch((error: unknown) => this.logger.error(`reminder not recorded: ${String(error)}`));
  }
}
