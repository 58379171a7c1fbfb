import {
  DEFAULT_RULES,
  DEFAULT_TREND_SETTINGS,
  EMPTY_RULE_STATE,
  NEWS2_FRESHNESS_MS,
  NEWS2_SUSTAIN_MS,
  PatientTrend,
  decideNews2Alert,
  evaluatePatient,
  restartSustainTimers,
  scoreNews2,
  type News2Band,
  type News2Inputs,
  type PatientRuleState,
  type TrendSettings,
} from '@vigil/rules';
import { conditionsPointingAt, type PatientDaysPlan, type PatientFrame } from './patient-days';

/** What one patient's stream gave under one set of trend settings. */
export interface TrendOutcome {
  /** Device times of each `trend.deterioration` raised. */
  readonly raises: readonly number[];
}

/** What one patient's stream gave: the first of each kind of alert, and each trend watch's raises. */
export interface PatientOutcome {
  readonly plan: PatientDaysPlan;
  /** When the illness began, epoch ms; none for a stable patient. */
  readonly onset?: number;
  /**
   * The first threshold alert pointing at the illness (`conditionsPointingAt`; any, for a stable
   * patient) raised from onset on (a condition newly firing), and the first time
   * from onset on that NEWS2 entered medium risk or above and held for its sustain time; from
   * admission for a stable patient.
   */
  readonly firstThreshold?: number;
  readonly firstNews2Medium?: number;
  readonly trends: readonly TrendOutcome[];
}

/**
 * Runs one patient's frames through what Vigil runs on each sample (the default thresholds,
 * NEWS2 and its alert policy, and a trend watch per settings given), as the server does: a frame
 * without vitals (sensor off, no link) evaluates nothing and restarts pending sustain times, and
 * any open alert marks the time unfit for her baseline.
 */
export function evaluateStream(
  plan: PatientDaysPlan,
  frames: Iterable<PatientFrame>,
  settings: readonly TrendSettings[] = [DEFAULT_TREND_SETTINGS],
): PatientOutcome {
  const pointing = conditionsPointingAt(plan.story);
  const trends = settings.map((each) => new PatientTrend(each.baseline, each.score));
  const raises = settings.map((): number[] => []);
  let rules: PatientRuleState = EMPTY_RULE_STATE;
  let band: News2Band | undefined;
  let news2Open = false;
  let news2Medium = false;
  const onset = plan.admittedAt + (plan.onsetSeconds ?? 0) * 1000;
  let gap = false;
  let firstThreshold: number | undefined;
  let firstNews2Medium: number | undefined;
  const inputs: { -readonly [K in keyof News2Inputs]: News2Inputs[K] } = {};

  for (const frame of frames) {
    const { ts, vitals } = frame;
    if (!vitals) {
      gap = true;
      continue;
    }
    if (gap) rules = restartSustainTimers(rules);
    gap = false;
    const evaluation = evaluatePatient({ ts, vitals }, DEFAULT_RULES, rules);
    const newlyFiring = evaluation.decisions.some(
      (d) =>
        d.kind === 'breach' &&
        (plan.story === 'stable' || pointing.has(d.condition)) &&
        rules.conditions[d.condition]?.phase !== 'firing',
    );
    rules = evaluation.state;
    if (firstThreshold === undefined && ts >= onset && newlyFiring) firstThreshold = ts;

    for (const [name, value] of Object.entries(vitals))
      (inputs as Record<string, unknown>)[name] = { value, ts };
    inputs.consciousness = { value: frame.consciousness, ts };
    inputs.onOxygen = { value: false, ts };
    const score = scoreNews2(inputs, 1, ts, NEWS2_FRESHNESS_MS);
    const news2 = decideNews2Alert(score, band, ts, NEWS2_SUSTAIN_MS);
    band = news2.band;
    news2Open = news2.decision.kind === 'breach' || (news2Open && news2.decision.kind !== 'clear');
    const medium =
      news2.decision.kind === 'breach' && (score.risk === 'medium' || score.risk === 'high');
    if (firstNews2Medium === undefined && ts >= onset && medium && !news2Medium)
      firstNews2Medium = ts;
    if (news2.decision.kind !== 'pending') news2Medium = medium;

    const thresholdOpen = Object.values(rules.conditions).some((c) => c.phase === 'firing');
    trends.forEach((trend, i) => {
      const excluded = thresholdOpen || news2Open || trend.state.raised !== undefined;
      const { decision } = trend.observe(ts, vitals, excluded);
      if (decision.kind === 'raise') raises[i].push(ts);
    });
  }
  return {
    plan,
    ...(plan.onsetSeconds !== undefined && { onset: plan.admittedAt + plan.onsetSeconds * 1000 }),
    ...(firstThreshold !== undefined && { firstThreshold }),
    ...(firstNews2Medium !== undefined && { firstNews2Medium }),
    trends: raises.map((each) => ({ raises: each })),
  };
}
