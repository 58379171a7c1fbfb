import { TREND_VITALS, type TrendVital, type VitalBaseline } from './trend-baseline';

/** Which way a vital moves when a patient deteriorates. */
export type DeteriorationDirection = 'up' | 'down' | 'either';

/** Data, each with its reason; a patient's may be overridden like thresholds. */
export interface TrendParameters {
  /**
   * Heart and respiratory rate rise, SpO2 and systolic pressure fall, temperature moves either way
   * in sepsis, respiratory failure and haemorrhage (the physiology NEWS2 scores, RCP 2017).
   */
  readonly directions: Readonly<Record<TrendVital, DeteriorationDirection>>;
  /** Time constant of the exponential smoothing: minutes, so a single value does nothing. */
  readonly smoothingMs: number;
  /** Deviations within this many spreads are the patient's own variation and count nothing. */
  readonly ignoreWithin: number;
  /** One vital adds at most this much: no single sensor can raise the alert alone. */
  readonly capPerVital: number;
  /** The score that, held for `sustainMs`, raises `trend.deterioration`. */
  readonly level: number;
  readonly sustainMs: number;
  /** Raised to medium once the score has reached this and gone on rising since the alert. */
  readonly escalateLevel: number;
  /** Cleared once the score has stayed below this for `sustainMs`. */
  readonly clearLevel: number;
}

export const DEFAULT_TREND_PARAMETERS: TrendParameters = {
  directions: {
    heartRate: 'up',
    respRate: 'up',
    spo2: 'down',
    systolicBp: 'down',
    temperature: 'either',
  },
  smoothingMs: 10 * 60_000,
  ignoreWithin: 1.5,
  capPerVital: 3,
  // Chosen with the trade-off curve of `npm run evaluate:trends` (docs/trends.md): the lowest
  // level at which stable patients raise at most one trend alert per ten patient-days.
  level: 5,
  sustainMs: 20 * 60_000,
  escalateLevel: 8,
  clearLevel: 2.5,
};

/** One vital's part in the score: where she usually is, where she is now, and since when. */
export interface TrendContribution {
  readonly vital: TrendVital;
  readonly baseline: number;
  readonly now: number;
  /** Spreads beyond her own variation, in the direction that matters (0 when it does not). */
  readonly deviation: number;
  /** When this vital last began to count, epoch ms; undefined while it does not. */
  readonly since: number | undefined;
}

/** Per vital, in TREND_VITALS order: the smoothed value, its time, and since when it counts. */
const SLOTS = 3;
const VALUE = 0;
const AT = 1;
const COUNTING_SINCE = 2;

export interface TrendState {
  /**
   * The smoothed vitals, three numbers each (NaN: none yet, or not counting). Updated in place by
   * the next evaluation, as a patient's NEWS2 inputs are: a new array per sample at 10,000
   * patients is garbage the collector pays for. Keep only the latest state.
   */
  readonly smoothed: Float64Array;
  /** When the score last rose to the level (and has stayed there), or fell below the clear level. */
  readonly aboveSince?: number | undefined;
  readonly belowSince?: number | undefined;
  readonly raised?: 'low' | 'medium' | undefined;
  readonly peak: number;
}

/** A patient's state before her first sample (`raised`: a trend alert of hers is already open). */
export function newTrendState(raised?: 'low' | 'medium'): TrendState {
  return { smoothed: new Float64Array(TREND_VITALS.length * SLOTS).fill(NaN), raised, peak: 0 };
}

export type TrendDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'raise'; readonly priority: 'low' }
  | { readonly kind: 'escalate'; readonly priority: 'medium' }
  | { readonly kind: 'clear' };

const NONE: TrendDecision = { kind: 'none' };

export interface TrendEvaluation {
  readonly state: TrendState;
  readonly score: number;
  readonly contributions: readonly TrendContribution[];
  readonly decision: TrendDecision;
}

/** How far a smoothed value is beyond her own variation, in the direction that matters. */
function deviationOf(
  value: number,
  baseline: VitalBaseline,
  direction: DeteriorationDirection,
  parameters: TrendParameters,
): number {
  const z = (value - baseline.median) / baseline.spread;
  const signed = direction === 'up' ? z : direction === 'down' ? -z : Math.abs(z);
  return Math.min(Math.max(signed - parameters.ignoreWithin, 0), parameters.capPerVital);
}

/**
 * Folds a sample's values (taken at `ts`) into the smoothed vitals, scores them against the
 * patient's baselines, and decides on `trend.deterioration`. No clock, no I/O: the caller keeps
 * the state, whose smoothed vitals this updates in place.
 */
export function evaluateTrend(
  state: TrendState,
  ts: number,
  values: Partial<Record<TrendVital, number>>,
  baselines: Partial<Record<TrendVital, VitalBaseline>>,
  parameters: TrendParameters = DEFAULT_TREND_PARAMETERS,
): TrendEvaluation {
  const { smoothed } = state;
  const contributions: TrendContribution[] = [];
  for (let i = 0; i < TREND_VITALS.length; i += 1) {
    const vital = TREND_VITALS[i];
    const slot = i * SLOTS;
    const value = values[vital];
    // A value older than the one smoothed last (a wearable's late batch) is history: skipped.
    if (value !== undefined && !(ts < smoothed[slot + AT])) {
      const previous = smoothed[slot + VALUE];
      smoothed[slot + VALUE] = Number.isNaN(previous)
        ? value
        : previous +
          (1 - Math.exp(-Math.max(ts - smoothed[slot + AT], 0) / parameters.smoothingMs)) *
            (value - previous);
      smoothed[slot + AT] = ts;
    }
    const baseline = baselines[vital];
    const now = smoothed[slot + VALUE];
    if (Number.isNaN(now) || !baseline) continue;
    const deviation = deviationOf(now, baseline, parameters.directions[vital], parameters);
    if (deviation === 0) smoothed[slot + COUNTING_SINCE] = NaN;
    else if (Number.isNaN(smoothed[slot + COUNTING_SINCE])) smoothed[slot + COUNTING_SINCE] = ts;
    const since = smoothed[slot + COUNTING_SINCE];
    contributions.push({
      vital,
      baseline: baseline.median,
      now,
      deviation,
      since: Number.isNaN(since) ? undefined : since,
    });
  }
  const score = contributions.reduce((sum, part) => sum + part.deviation, 0);
  const aboveSince = score >= parameters.level ? (state.aboveSince ?? ts) : undefined;
  // With no baseline yet there is no evidence either way: nothing clears on it.
  const belowSince =
    contributions.length > 0 && score < parameters.clearLevel
      ? (state.belowSince ?? ts)
      : undefined;
  let decision: TrendDecision = NONE;
  let raised = state.raised;
  let peak = raised ? Math.max(state.peak, score) : 0;
  if (!raised && aboveSince !== undefined && ts - aboveSince >= parameters.sustainMs) {
    // Always low first: medium says it went on rising after the team was told.
    raised = 'low';
    decision = { kind: 'raise', priority: raised };
    peak = score;
  } else if (raised === 'low' && score >= parameters.escalateLevel && score > state.peak) {
    raised = 'medium';
    decision = { kind: 'escalate', priority: 'medium' };
  } else if (raised && belowSince !== undefined && ts - belowSince >= parameters.sustainMs) {
    raised = undefined;
    decision = { kind: 'clear' };
  }
  return {
    // Absent and undefined alike: this runs per sample, and a literal is what V8 makes fastest.
    state: { smoothed, aboveSince, belowSince, raised, peak },
    score,
    contributions,
    decision,
  };
}
