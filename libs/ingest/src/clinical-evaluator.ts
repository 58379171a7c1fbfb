import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { AlertsService, PATIENT_OWNERSHIP, type PatientOwnership } from '@vigil/alerts';
import type { Observation, Sample } from '@vigil/contracts';
import {
  EMPTY_RULE_STATE,
  NEWS2_FRESHNESS_MS,
  NEWS2_SUSTAIN_MS,
  OBSERVED_STATE_FRESHNESS_MS,
  OBSERVED_VITAL_FRESHNESS_MS,
  decideNews2Alert,
  evaluatePatient,
  restartSustainTimers,
  scoreNews2,
  type News2Band,
  type News2Inputs,
  type News2Score,
  type PatientRuleState,
  type TimedValue,
} from '@vigil/rules';
import { RULE_STATE_STORE, type RuleStateStore } from '@vigil/storage';
import { CLINICAL_PROFILES, type ClinicalProfiles } from './clinical-profiles.port';
import { TrendWatch } from './trend-watch';

/**
 * Runs each stored sample through the rules engine and NEWS2, then her trend watch, keeping each
 * patient's rule state and latest NEWS2 inputs, and hands breaches and clears to the alerts
 * service.
 */
@Injectable()
export class ClinicalEvaluator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClinicalEvaluator.name);
  private readonly ruleStates = new Map<string, PatientRuleState>();
  private readonly news2Inputs = new Map<string, News2Inputs>();
  /** The band each patient's NEWS2 is in, and since when (device time). */
  private readonly news2Bands = new Map<string, News2Band>();

  constructor(
    @Inject(CLINICAL_PROFILES) private readonly profiles: ClinicalProfiles,
    private readonly alerts: AlertsService,
    @Inject(RULE_STATE_STORE) private readonly stateStore: RuleStateStore,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
    private readonly trends: TrendWatch,
  ) {}

  onModuleInit(): Promise<void> {
    return this.adopt((patientId) => this.ownership.owns(patientId));
  }

  /**
   * Restores the rule state of the patients `covers` selects (at start, or when this node comes
   * to act for them), after their open alerts: an open alert whose condition the saved state does
   * not know (saved before it fired) counts as firing, so the next normal value clears it.
   */
  async adopt(covers: (patientId: string) => boolean): Promise<void> {
    for (const [patientId, state] of await this.stateStore.loadAll())
      if (covers(patientId)) this.ruleStates.set(patientId, state as PatientRuleState);
    for (const alert of this.alerts.openAlerts()) {
      if (alert.category !== 'physiological' || !covers(alert.patientId)) continue;
      const state = this.ruleStateOf(alert.patientId);
      if (state.conditions[alert.rule]) continue;
      const since = Date.parse(alert.ts);
      this.ruleStates.set(alert.patientId, {
        ...state,
        conditions: { ...state.conditions, [alert.rule]: { phase: 'firing', since } },
      });
    }
  }

  /** Drops what the rules knew of the patients `covers` selects: another node acts for them now. */
  release(covers: (patientId: string) => boolean): void {
    for (const states of [this.ruleStates, this.news2Inputs, this.news2Bands])
      for (const patientId of [...states.keys()]) if (covers(patientId)) states.delete(patientId);
    this.trends.release(covers);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stateStore.saveAll(this.ruleStates);
  }

  ruleStateOf(patientId: string): PatientRuleState {
    return this.ruleStates.get(patientId) ?? EMPTY_RULE_STATE;
  }

  /** The latest NEWS2 of a patient, scored now. */
  news2Of(patientId: string, now = Date.now()): News2Score {
    return scoreNews2(
      this.news2Inputs.get(patientId) ?? {},
      this.profiles.profileOf(patientId).spo2Scale,
      now,
      NEWS2_FRESHNESS_MS,
    );
  }

  /**
   * Forgets what the rules knew of a patient (her stay ended): a readmission starts afresh, and
   * no breach pending from before her discharge fires on her next stay.
   */
  async forget(patientId: string): Promise<void> {
    this.ruleStates.delete(patientId);
    this.news2Inputs.delete(patientId);
    this.news2Bands.delete(patientId);
    this.trends.forget(patientId);
    await this.stateStore.save(patientId, EMPTY_RULE_STATE);
  }

  /** Good readings are back after a gap: pending breaches start their sustain time again. */
  restartSustainTimers(patientId: string): void {
    const state = this.ruleStates.get(patientId);
    if (state) this.ruleStates.set(patientId, restartSustainTimers(state));
  }

  evaluate(sample: Sample): News2Score {
    const profile = this.profiles.profileOf(sample.patientId);
    const previous = this.ruleStateOf(sample.patientId);
    const { decisions, state } = evaluatePatient(sample, profile.rules, previous);
    this.ruleStates.set(sample.patientId, state);
    // Pending and firing conditions change rarely: save them as they change, so a restart, even
    // after a crash, resumes a pending breach. Recent values for rate rules go with them.
    if (state.conditions !== previous.conditions) {
      this.stateStore
        .save(sample.patientId, state)
        .catch((error: unknown) => this.logger.error(`rule state not saved: ${String(error)}`));
    }
    for (const decision of decisions) {
      if (decision.kind === 'clear') {
        this.report(this.alerts.clear(sample.patientId, decision.condition));
        continue;
      }
      this.report(
        this.alerts.breach({
          patientId: sample.patientId,
          deviceId: sample.deviceId,
          category: 'physiological',
          condition: decision.condition,
          vital: decision.vital,
          value: decision.value,
          threshold: decision.threshold,
          priority: decision.priority,
          worse: decision.worse,
          ts: sample.ts,
        }),
      );
    }
    const news2 = this.evaluateNews2(sample);
    // Last, so it never delays what the thresholds and NEWS2 decided on this sample.
    this.trends.observe(sample);
    return news2;
  }

  /**
   * Takes a nurse's observation set into her NEWS2, beside what her devices measure (the latest
   * valid value of each parameter wins, each within its own freshness), and decides the NEWS2
   * alert at once. Her vital signs do not go through the threshold rules: those watch continuous
   * monitoring, and the nurse taking the set is at the bedside.
   */
  applyObservation(observation: Observation, now = Date.now()): News2Score {
    takeObservation(this.inputsOf(observation.patientId), observation);
    return this.decideNews2(observation.patientId, `observation:${observation.id}`, now, 0);
  }

  /** The NEWS2 a set would give if recorded now, changing nothing (the console's preview). */
  previewObservation(observation: Observation, now = Date.now()): News2Score {
    const inputs = { ...this.news2Inputs.get(observation.patientId) };
    takeObservation(inputs, observation);
    return scoreNews2(
      inputs,
      this.profiles.profileOf(observation.patientId).spo2Scale,
      now,
      NEWS2_FRESHNESS_MS,
    );
  }

  /** Takes back the sets recorded before a restart, deciding no alert (those were restored). */
  restoreObservations(observations: readonly Observation[]): void {
    for (const observation of observations)
      takeObservation(this.inputsOf(observation.patientId), observation);
  }

  /**
   * A set entered in error: what it contributed goes, the patient's other recent sets (`valid`,
   * the retracted one excluded) are taken again, and NEWS2 is decided afresh.
   */
  retractObservation(
    patientId: string,
    observationId: string,
    valid: readonly Observation[],
    now = Date.now(),
  ): News2Score {
    const inputs = this.inputsOf(patientId) as Record<string, TimedValue<unknown> | undefined>;
    for (const name of Object.keys(inputs))
      if (inputs[name]?.observationId === observationId) delete inputs[name];
    for (const observation of valid) takeObservation(inputs as News2Inputs, observation);
    return this.decideNews2(patientId, `observation:${observationId}`, now, 0);
  }

  /** Each NEWS2 input of a patient as it stands, with its source. */
  news2InputsOf(patientId: string): News2Inputs {
    return { ...this.news2Inputs.get(patientId) };
  }

  private inputsOf(patientId: string): News2Inputs {
    let inputs = this.news2Inputs.get(patientId);
    if (!inputs) {
      inputs = {};
      this.news2Inputs.set(patientId, inputs);
    }
    return inputs;
  }

  private evaluateNews2(sample: Sample): News2Score {
    const inputs = this.inputsOf(sample.patientId);
    for (const name in sample.vitals)
      takeInput(
        inputs,
        name,
        sample.vitals[name as keyof Sample['vitals']],
        sample.ts,
        sample.deviceId,
      );
    takeInput(inputs, 'consciousness', sample.consciousness, sample.ts, sample.deviceId);
    takeInput(inputs, 'onOxygen', sample.onOxygen, sample.ts, sample.deviceId);
    return this.decideNews2(sample.patientId, sample.deviceId, sample.ts, NEWS2_SUSTAIN_MS);
  }

  /** Scores NEWS2 at `ts` and raises, upgrades or clears the patient's NEWS2 alert. */
  private decideNews2(
    patientId: string,
    deviceId: string,
    ts: number,
    sustainMs: number,
  ): News2Score {
    const score = this.news2Of(patientId, ts);
    const previous = this.news2Bands.get(patientId);
    const { band, decision } = decideNews2Alert(score, previous, ts, sustainMs);
    if (band !== previous) this.news2Bands.set(patientId, band);
    if (decision.kind === 'clear' && this.alerts.hasOpen(patientId, 'news2')) {
      this.report(this.alerts.clear(patientId, 'news2'));
    } else if (decision.kind === 'breach') {
      this.report(
        this.alerts.breach({
          patientId,
          deviceId,
          category: 'physiological',
          condition: 'news2',
          vital: null,
          value: decision.value,
          threshold: decision.threshold,
          priority: decision.priority,
          worse: 'above',
          ts,
          message: decision.message,
        }),
      );
    }
    return score;
  }

  private report(done: Promise<void>): void {
    done.catch((error: unknown) => this.logger.error(`alert not recorded: ${String(error)}`));
  }
}

/**
 * Records a NEWS2 input from a device, updating the patient's entry in place: the inputs are the
 * evaluator's own, and a new entry per vital and sample at 10,000 patients is garbage that
 * outlives the young generation. A buffered older sample arriving late does not replace a fresher
 * value, whichever its source.
 */
function takeInput(
  inputs: News2Inputs,
  name: string,
  value: unknown,
  ts: number,
  deviceId: string,
): void {
  if (value === undefined) return;
  const entries = inputs as Record<string, Writable<TimedValue<unknown>> | undefined>;
  const known = entries[name];
  if (!known) entries[name] = { value, ts, deviceId };
  else if (known.ts <= ts) {
    known.value = value;
    known.ts = ts;
    known.deviceId = deviceId;
    known.observationId = undefined;
    known.recordedBy = undefined;
    known.freshForMs = undefined;
  }
}

/** Records a nurse's set's inputs (a new entry each: sets are few), unless a fresher value is known. */
function takeObservation(inputs: News2Inputs, observation: Observation): void {
  const entries = inputs as Record<string, TimedValue<unknown> | undefined>;
  const ts = Date.parse(observation.effectiveAt);
  for (const [name, value] of Object.entries(observation.vitals)) {
    if (value === undefined || (entries[name]?.ts ?? -Infinity) > ts) continue;
    entries[name] = {
      value,
      ts,
      observationId: observation.id,
      recordedBy: observation.recordedBy,
      freshForMs:
        name === 'consciousness' || name === 'onOxygen'
          ? OBSERVED_STATE_FRESHNESS_MS
          : OBSERVED_VITAL_FRESHNESS_MS,
    };
  }
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
