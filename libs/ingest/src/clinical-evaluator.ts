import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import type { AlertPriority, Sample } from '@vigil/contracts';
import {
  EMPTY_RULE_STATE,
  evaluatePatient,
  scoreNews2,
  type News2Inputs,
  type News2Risk,
  type News2Score,
  type PatientRuleState,
} from '@vigil/rules';
import { RULE_STATE_STORE, type RuleStateStore } from '@vigil/storage';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory.port';

/** A NEWS2 value older than this counts as missing (blood pressure is often hourly). */
export const NEWS2_FRESHNESS_MS = 60 * 60_000;

/** A NEWS2 band must hold this long (device time) before it alerts, as the SpO2 alarm delay. */
export const NEWS2_SUSTAIN_MS = 15_000;

/** The band a NEWS2 alert carries; each rise is a priority upgrade, so it is announced. */
const NEWS2_PRIORITY: Record<Exclude<News2Risk, 'low'>, AlertPriority> = {
  'low-medium': 'low',
  medium: 'medium',
  high: 'high',
};
const NEWS2_BAND_FLOOR: Record<Exclude<News2Risk, 'low'>, number> = {
  'low-medium': 3,
  medium: 5,
  high: 7,
};

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
  private readonly news2Bands = new Map<string, { risk: News2Risk; since: number }>();

  constructor(
    @Inject(DEVICE_DIRECTORY) private readonly directory: DeviceDirectory,
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
      this.directory.profileOf(patientId).spo2Scale,
      now,
      NEWS2_FRESHNESS_MS,
    );
  }

  evaluate(sample: Sample): News2Score {
    const profile = this.directory.profileOf(sample.patientId);
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
          worse: /\.(below|fall)$/.test(decision.condition) ? 'below' : 'above',
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
    const band = this.news2Bands.get(sample.patientId);
    if (band?.risk !== score.risk)
      this.news2Bands.set(sample.patientId, { risk: score.risk, since: sample.ts });
    const heldFor = sample.ts - (band?.risk === score.risk ? band.since : sample.ts);
    if (score.risk === 'low') {
      if (this.alerts.hasOpen(sample.patientId, 'news2'))
        this.report(this.alerts.clear(sample.patientId, 'news2'));
    } else if (heldFor >= NEWS2_SUSTAIN_MS) {
      this.report(
        this.alerts.breach({
          patientId: sample.patientId,
          deviceId: sample.deviceId,
          category: 'physiological',
          condition: 'news2',
          vital: null,
          value: score.total,
          threshold: NEWS2_BAND_FLOOR[score.risk],
          priority: NEWS2_PRIORITY[score.risk],
          worse: 'above',
          ts: sample.ts,
          message: `NEWS2 ${score.total} (${score.risk}${score.complete ? '' : ', partial'}): ${score.response}`,
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
