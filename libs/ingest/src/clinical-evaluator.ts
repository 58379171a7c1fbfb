import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import type { Sample } from '@vigil/contracts';
import {
  EMPTY_RULE_STATE,
  NEWS2_FRESHNESS_MS,
  decideNews2Alert,
  evaluatePatient,
  scoreNews2,
  type News2Band,
  type News2Inputs,
  type News2Score,
  type PatientRuleState,
} from '@vigil/rules';
import { RULE_STATE_STORE, type RuleStateStore } from '@vigil/storage';
import { CLINICAL_PROFILES, type ClinicalProfiles } from './clinical-profiles.port';

/**
 * Runs each stored sample through the rules engine and NEWS2, keeping each patient's rule state
 * and latest NEWS2 inputs, and hands breaches and clears to the alerts service.
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
  ) {}

  /**
   * Restores each patient's rule state; an open alert whose condition the saved state does not
   * know (saved before it fired) counts as firing, so the next normal value clears it.
   */
  onModuleInit(): void {
    for (const [patientId, state] of this.stateStore.loadAll())
      this.ruleStates.set(patientId, state as PatientRuleState);
    for (const alert of this.alerts.openAlerts()) {
      if (alert.category !== 'physiological') continue;
      const state = this.ruleStateOf(alert.patientId);
      if (state.conditions[alert.rule]) continue;
      const since = Date.parse(alert.ts);
      this.ruleStates.set(alert.patientId, {
        ...state,
        conditions: { ...state.conditions, [alert.rule]: { phase: 'firing', since } },
      });
    }
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
    await this.stateStore.save(patientId, EMPTY_RULE_STATE);
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
    return this.evaluateNews2(sample);
  }

  private evaluateNews2(sample: Sample): News2Score {
    let inputs = this.news2Inputs.get(sample.patientId);
    if (!inputs) {
      inputs = {};
      this.news2Inputs.set(sample.patientId, inputs);
    }
    for (const name in sample.vitals)
      takeInput(inputs, name, sample.vitals[name as keyof Sample['vitals']], sample.ts);
    takeInput(inputs, 'consciousness', sample.consciousness, sample.ts);
    takeInput(inputs, 'onOxygen', sample.onOxygen, sample.ts);
    const score = this.news2Of(sample.patientId, sample.ts);
    const previous = this.news2Bands.get(sample.patientId);
    const { band, decision } = decideNews2Alert(score, previous, sample.ts);
    if (band !== previous) this.news2Bands.set(sample.patientId, band);
    if (decision.kind === 'clear' && this.alerts.hasOpen(sample.patientId, 'news2')) {
      this.report(this.alerts.clear(sample.patientId, 'news2'));
    } else if (decision.kind === 'breach') {
      this.report(
        this.alerts.breach({
          patientId: sample.patientId,
          deviceId: sample.deviceId,
          category: 'physiological',
          condition: 'news2',
          vital: null,
          value: decision.value,
          threshold: decision.threshold,
          priority: decision.priority,
          worse: 'above',
          ts: sample.ts,
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
 * Records a NEWS2 input, updating the patient's entry in place: the inputs are the evaluator's
 * own, and a new entry per vital and sample at 10,000 patients is garbage that outlives the
 * young generation. A buffered older sample arriving late does not replace a fresher value.
 */
function takeInput(inputs: News2Inputs, name: string, value: unknown, ts: number): void {
  if (value === undefined) return;
  const entries = inputs as Record<string, { value: unknown; ts: number } | undefined>;
  const known = entries[name];
  if (!known) entries[name] = { value, ts };
  else if (known.ts <= ts) {
    known.value = value;
    known.ts = ts;
  }
}
