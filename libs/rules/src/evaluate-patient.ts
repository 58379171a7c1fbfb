import type { AlertPriority, VitalName, VitalValues } from '@vigil/contracts';
import { evaluateSample } from './evaluate-sample';
import {
  conditionOf,
  rateConditionOf,
  type Comparison,
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
  /**
   * The bucket each such vital's latest values fall in, kept apart from `recent` so that a new
   * value replaces one small bucket instead of copying the window. Absent until one exists.
   */
  readonly open?: Readonly<Partial<Record<VitalName, RecentBucket>>>;
}

export const EMPTY_RULE_STATE: PatientRuleState = { conditions: {}, recent: {} };

/**
 * The state with every pending breach forgotten, so its sustain time starts again from the next
 * good reading (data came back after a gap, or a sensor back on the skin); firing conditions,
 * which hold open alerts, stay.
 */
export function restartSustainTimers(state: PatientRuleState): PatientRuleState {
  const firing = Object.entries(state.conditions).filter(([, c]) => c.phase === 'firing');
  if (firing.length === Object.keys(state.conditions).length) return state;
  return { ...state, conditions: Object.fromEntries(firing) };
}

export type RuleDecision =
  | {
      /** The condition fires (for the first time, or again while it holds). */
      readonly kind: 'breach';
      readonly condition: string;
      readonly vital: VitalName;
      readonly value: number;
      readonly threshold: number;
      readonly priority: AlertPriority;
      /** Which way is worse for this condition: a value further that way is a worse breach. */
      readonly worse: Comparison;
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
 *
 * What a sample does not change is shared with the state it came from, and a sample that changes
 * nothing returns that state itself: at 10,000 patients, a copy of every patient's state per
 * sample outlives the young generation (a third of what the main thread promoted; bench/results/2026-11-28-line.md).
 */
export function evaluatePatient(
  sample: { readonly ts: number; readonly vitals: VitalValues },
  rules: RuleSet,
  state: PatientRuleState,
): PatientEvaluation {
  const conditions = new CopyOnWrite(state.conditions);
  const decisions: RuleDecision[] = [];
  const { breaches, cleared } = evaluateSample(sample.vitals, rules.thresholds);

  for (const { condition, rule, value } of breaches) {
    if (holdBreach(conditions, condition, rule.sustainSeconds, sample.ts))
      decisions.push(breachOf(condition, rule, rule.threshold, rule.comparison, value));
  }

  for (const condition of cleared) {
    const current = conditions.get(condition);
    if (!current) continue;
    const rulesOfCondition = rules.thresholds.filter((rule) => conditionOf(rule) === condition);
    const value = sample.vitals[rulesOfCondition[0].vital] as number;
    if (current.phase === 'firing' && !isPastClearBand(rulesOfCondition, value)) continue;
    release(conditions, condition, rulesOfCondition[0].vital, value, decisions);
  }

  const { recent, open } = rememberRecent(sample, rules.rates, state);
  for (const rule of rules.rates) {
    const value = sample.vitals[rule.vital];
    if (value === undefined) continue;
    const condition = rateConditionOf(rule);
    const change = changeWithin(
      recent[rule.vital] ?? [],
      open?.[rule.vital],
      sample.ts,
      value,
      rule,
    );
    if (change >= rule.change) {
      if (holdBreach(conditions, condition, rule.sustainSeconds, sample.ts)) {
        const worse = rule.direction === 'rise' ? 'above' : 'below';
        decisions.push(breachOf(condition, rule, rule.change, worse, value));
      }
    } else {
      release(conditions, condition, rule.vital, value, decisions);
    }
  }
  const next =
    conditions.value === state.conditions && recent === state.recent && open === state.open
      ? state
      : { conditions: conditions.value, recent, open };
  return { decisions, state: next };
}

/** The conditions of a state, copied the first time one of them changes. */
class CopyOnWrite {
  private copied = false;

  constructor(public value: Readonly<Record<string, ConditionState>>) {}

  get(condition: string): ConditionState | undefined {
    return this.value[condition];
  }

  set(condition: string, phase: ConditionState['phase'], since: number): void {
    const current = this.value[condition];
    if (current?.phase === phase && current.since === since) return;
    this.writable()[condition] = { phase, since };
  }

  delete(condition: string): void {
    if (this.value[condition]) delete this.writable()[condition];
  }

  private writable(): Record<string, ConditionState> {
    if (!this.copied) {
      this.value = { ...this.value };
      this.copied = true;
    }
    return this.value as Record<string, ConditionState>;
  }
}

/**
 * The lifecycle of a breached condition, the same for every kind of rule: pending from the first
 * breaching sample, firing once it has held for `sustainSeconds` (device time), and firing on
 * while it holds. Answers whether it fires now.
 */
function holdBreach(
  conditions: CopyOnWrite,
  condition: string,
  sustainSeconds: number | undefined,
  ts: number,
): boolean {
  const current = conditions.get(condition);
  const since = current?.since ?? ts;
  if (current?.phase === 'firing' || (ts - since) / 1000 >= (sustainSeconds ?? 0)) {
    conditions.set(condition, 'firing', current?.phase === 'firing' ? since : ts);
    return true;
  }
  conditions.set(condition, 'pending', since);
  return false;
}

/** A condition no longer breached: forgotten, and cleared if it was firing. */
function release(
  conditions: CopyOnWrite,
  condition: string,
  vital: VitalName,
  value: number,
  decisions: RuleDecision[],
): void {
  const current = conditions.get(condition);
  if (!current) return;
  conditions.delete(condition);
  if (current.phase === 'firing') decisions.push({ kind: 'clear', condition, vital, value });
}

function breachOf(
  condition: string,
  rule: Pick<ThresholdRule, 'vital' | 'priority' | 'source'>,
  threshold: number,
  worse: Comparison,
  value: number,
): RuleDecision {
  return {
    kind: 'breach',
    condition,
    vital: rule.vital,
    value,
    threshold,
    priority: rule.priority,
    worse,
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
 * 3,600 values copied per sample).
 */
export type RecentBucket = readonly [start: number, min: number, max: number];

const bucketMin = (bucket: RecentBucket) => bucket[1];
const bucketMax = (bucket: RecentBucket) => bucket[2];

/** Each vital with rate rules and the longest window among them, computed once per rule set. */
const rateWindowsOf = new WeakMap<readonly RateOfChangeRule[], [VitalName, number][]>();

function rateWindows(rates: readonly RateOfChangeRule[]): [VitalName, number][] {
  let windows = rateWindowsOf.get(rates);
  if (!windows) {
    const longest = new Map<VitalName, number>();
    for (const rule of rates)
      longest.set(rule.vital, Math.max(longest.get(rule.vital) ?? 0, rule.withinSeconds * 1000));
    windows = [...longest];
    rateWindowsOf.set(rates, windows);
  }
  return windows;
}

function rememberRecent(
  sample: { readonly ts: number; readonly vitals: VitalValues },
  rates: readonly RateOfChangeRule[],
  state: PatientRuleState,
): Pick<PatientRuleState, 'recent' | 'open'> {
  let recent: Partial<Record<VitalName, readonly RecentBucket[]>> | undefined;
  let open: Partial<Record<VitalName, RecentBucket>> | undefined;
  for (const [vital, windowMs] of rateWindows(rates)) {
    const value = sample.vitals[vital];
    if (value === undefined) continue;
    const closedBefore = state.recent[vital] ?? [];
    const openBefore = state.open?.[vital];
    const next = rememberValue(closedBefore, openBefore, sample.ts, value, windowMs);
    if (next.closed !== closedBefore) {
      recent ??= { ...state.recent };
      recent[vital] = next.closed;
    }
    if (next.open !== openBefore) {
      open ??= { ...state.open };
      open[vital] = next.open;
    }
  }
  return { recent: recent ?? state.recent, open: open ?? state.open };
}

/**
 * One more value of a vital: it widens the open bucket, or, in a later bucket, closes the open
 * one into the window and opens its own. Unchanged parts come back as they went in.
 */
function rememberValue(
  closed: readonly RecentBucket[],
  open: RecentBucket | undefined,
  ts: number,
  value: number,
  windowMs: number,
): { closed: readonly RecentBucket[]; open: RecentBucket | undefined } {
  const size = windowMs / BUCKETS_PER_WINDOW;
  const start = Math.floor(ts / size) * size;
  const expired = (bucket: RecentBucket) => bucket[0] + size <= ts - windowMs;
  // The first bucket is the oldest but for late ones, which go when it goes: within one window.
  const kept = closed.length > 0 && expired(closed[0]) ? closed.filter((b) => !expired(b)) : closed;
  if (open && open[0] === start) {
    const low = Math.min(bucketMin(open), value);
    const high = Math.max(bucketMax(open), value);
    const unchanged = low === bucketMin(open) && high === bucketMax(open);
    return { closed: kept, open: unchanged ? open : [start, low, high] };
  }
  if (!open) return { closed: kept, open: [start, value, value] };
  if (start > open[0]) return { closed: [...kept, open], open: [start, value, value] };
  // A late sample lands in a closed bucket of its own; order does not matter to min and max.
  return { closed: [...kept, [start, value, value]], open };
}

/**
 * The largest change in the rule's direction from any value in its window to the latest one,
 * the window resolved to its buckets (it may reach one bucket further back).
 */
function changeWithin(
  closed: readonly RecentBucket[],
  open: RecentBucket | undefined,
  now: number,
  latest: number,
  rule: RateOfChangeRule,
): number {
  const from = now - rule.withinSeconds * 1000;
  let low = latest;
  let high = latest;
  const widen = (bucket: RecentBucket) => {
    // Buckets are at most as wide as the rule's window / 60; one that ends after `from` counts.
    if (bucket[0] + (rule.withinSeconds * 1000) / BUCKETS_PER_WINDOW <= from) return;
    low = Math.min(low, bucketMin(bucket));
    high = Math.max(high, bucketMax(bucket));
  };
  for (const bucket of closed) widen(bucket);
  if (open) widen(open);
  return rule.direction === 'rise' ? latest - low : high - latest;
}
