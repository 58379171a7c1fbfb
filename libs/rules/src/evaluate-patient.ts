import type { AlertPriority, VitalName, VitalValues } from '@vigil/contracts';
import { evaluateSample } from './evaluate-sample';
import {
  conditionOf,
  rateConditionOf,
  type RateOfChangeRule,
  type RuleSet,
  type ThresholdRule,
} from './threshold-rule';

/**
 * Where one condition stands. `pending`: breached since `since`, not yet for the sustain time.
 * `firing`: breached long enough; stays firing until the value is back past the clear band.
 */
export interface ConditionState {
  readonly phase: 'pending' | 'firing';
  readonly since: number;
}

/** Everything the engine remembers about one patient between samples; plain data, persistable. */
export interface PatientRuleState {
  readonly conditions: Readonly<Record<string, ConditionState>>;
  /** Recent values of vitals that have rate-of-change rules, as min/max per bucket of device time. */
  readonly recent: Readonly<Partial<Record<VitalName, readonly RecentBucket[]>>>;
}

export const EMPTY_RULE_STATE: PatientRuleState = { conditions: {}, recent: {} };

export type RuleDecision =
  | {
      /** The condition fires (for the first time, or again while it holds). */
      readonly kind: 'breach';
      readonly condition: string;
      readonly vital: VitalName;
      readonly value: number;
      readonly threshold: number;
      readonly priority: AlertPriority;
      readonly source: string;
    }
  | {
      readonly kind: 'clear';
      readonly condition: string;
      readonly vital: VitalName;
      readonly value: number;
    };

export interface PatientEvaluation {
  readonly decisions: readonly RuleDecision[];
  readonly state: PatientRuleState;
}

/**
 * Evaluates one sample of one patient. Pure: time is the sample's own timestamp, state goes in
 * and comes out. A breach fires only once it has held for its sustain time (so a single
 * artifact fires nothing) and clears only once the value is back past its clear band (so values
 * flapping around a threshold do not raise and clear over and over).
 */
export function evaluatePatient(
  sample: { readonly ts: number; readonly vitals: VitalValues },
  rules: RuleSet,
  state: PatientRuleState,
): PatientEvaluation {
  const conditions: Record<string, ConditionState> = { ...state.conditions };
  const decisions: RuleDecision[] = [];
  const { breaches, cleared } = evaluateSample(sample.vitals, rules.thresholds);

  for (const breach of breaches) {
    const current = conditions[breach.condition];
    const since = current?.since ?? sample.ts;
    const held = (sample.ts - since) / 1000 >= (breach.rule.sustainSeconds ?? 0);
    if (current?.phase === 'firing' || held) {
      conditions[breach.condition] = {
        phase: 'firing',
        since: current?.phase === 'firing' ? current.since : sample.ts,
      };
      decisions.push(breachOf(breach.condition, breach.rule, breach.value));
    } else {
      conditions[breach.condition] = { phase: 'pending', since };
    }
  }

  for (const condition of cleared) {
    const current = conditions[condition];
    if (!current) continue;
    const rulesOfCondition = rules.thresholds.filter((rule) => conditionOf(rule) === condition);
    const value = sample.vitals[rulesOfCondition[0].vital] as number;
    if (current.phase === 'firing' && !isPastClearBand(rulesOfCondition, value)) continue;
    delete conditions[condition];
    if (current.phase === 'firing')
      decisions.push({ kind: 'clear', condition, vital: rulesOfCondition[0].vital, value });
  }

  const recent = rememberRecent(sample, rules.rates, state.recent);
  for (const rule of rules.rates) {
    const value = sample.vitals[rule.vital];
    if (value === undefined) continue;
    const condition = rateConditionOf(rule);
    const change = changeWithin(recent[rule.vital] ?? [], sample.ts, value, rule);
    const current = conditions[condition];
    if (change >= rule.change) {
      const since = current?.since ?? sample.ts;
      const held = (sample.ts - since) / 1000 >= (rule.sustainSeconds ?? 0);
      if (current?.phase !== 'firing' && !held) {
        conditions[condition] = { phase: 'pending', since };
        continue;
      }
      conditions[condition] = {
        phase: 'firing',
        since: current?.phase === 'firing' ? current.since : sample.ts,
      };
      decisions.push({
        kind: 'breach',
        condition,
        vital: rule.vital,
        value,
        threshold: rule.change,
        priority: rule.priority,
        source: rule.source,
      });
    } else if (current) {
      delete conditions[condition];
      if (current.phase === 'firing')
        decisions.push({ kind: 'clear', condition, vital: rule.vital, value });
    }
  }
  return { decisions, state: { conditions, recent } };
}

function breachOf(condition: string, rule: ThresholdRule, value: number): RuleDecision {
  return {
    kind: 'breach',
    condition,
    vital: rule.vital,
    value,
    threshold: rule.threshold,
    priority: rule.priority,
    source: rule.source,
  };
}

/** Cleared only when back inside the mildest threshold of the condition by its clear band. */
function isPastClearBand(rules: readonly ThresholdRule[], value: number): boolean {
  return rules.every((rule) =>
    rule.comparison === 'above'
      ? value <= rule.threshold - (rule.clearBand ?? 0)
      : value >= rule.threshold + (rule.clearBand ?? 0),
  );
}

/** Buckets per rate window: the window is resolved to 1/60 of its length (10 s of 10 minutes). */
const BUCKETS_PER_WINDOW = 60;

/**
 * The recent values of a vital, kept as `[bucket start, min, max]` so that a rate rule reads its
 * window in constant time and memory whatever the sample rate (an hour at 1 Hz would otherwise be
 * 3,600 values copied per sample). A state saved by an earlier version holds `[ts, value]` pairs,
 * read as buckets of one value.
 */
export type RecentBucket = readonly [number, number, number] | readonly [number, number];

const bucketMin = (bucket: RecentBucket) => bucket[1];
const bucketMax = (bucket: RecentBucket) => (bucket.length === 3 ? bucket[2] : bucket[1]);

function rememberRecent(
  sample: { readonly ts: number; readonly vitals: VitalValues },
  rates: readonly RateOfChangeRule[],
  recent: PatientRuleState['recent'],
): PatientRuleState['recent'] {
  const next: Partial<Record<VitalName, readonly RecentBucket[]>> = { ...recent };
  for (const vital of new Set(rates.map((rule) => rule.vital))) {
    const value = sample.vitals[vital];
    if (value === undefined) continue;
    let windowMs = 0;
    for (const rule of rates)
      if (rule.vital === vital) windowMs = Math.max(windowMs, rule.withinSeconds * 1000);
    const size = windowMs / BUCKETS_PER_WINDOW;
    const start = Math.floor(sample.ts / size) * size;
    const kept = (recent[vital] ?? []).filter((bucket) => bucket[0] + size > sample.ts - windowMs);
    const last = kept[kept.length - 1];
    if (last && last[0] === start) {
      kept[kept.length - 1] = [
        start,
        Math.min(bucketMin(last), value),
        Math.max(bucketMax(last), value),
      ];
    } else {
      kept.push([start, value, value]);
      // A late sample lands in its own bucket; order does not matter to min and max.
    }
    next[vital] = kept;
  }
  return next;
}

/**
 * The largest change in the rule's direction from any value in its window to the latest one,
 * the window resolved to its buckets (it may reach one bucket further back).
 */
function changeWithin(
  buckets: readonly RecentBucket[],
  now: number,
  latest: number,
  rule: RateOfChangeRule,
): number {
  const from = now - rule.withinSeconds * 1000;
  let low = latest;
  let high = latest;
  for (const bucket of buckets) {
    // Buckets are at most as wide as the rule's window / 60; one that ends after `from` counts.
    if (bucket[0] + (rule.withinSeconds * 1000) / BUCKETS_PER_WINDOW <= from) continue;
    low = Math.min(low, bucketMin(bucket));
    high = Math.max(high, bucketMax(bucket));
  }
  return rule.direction === 'rise' ? latest - low : high - latest;
}
