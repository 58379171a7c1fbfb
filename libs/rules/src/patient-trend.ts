import type { VitalValues } from '@vigil/contracts';
import {
  BaselineTracker,
  DEFAULT_BASELINE_PARAMETERS,
  TREND_VITALS,
  type BaselineParameters,
  type TrendVital,
  type VitalBaseline,
} from './trend-baseline';
import {
  DEFAULT_TREND_PARAMETERS,
  newTrendState,
  evaluateTrend,
  type TrendEvaluation,
  type TrendParameters,
  type TrendState,
} from './trend-score';

/** Everything that tunes a patient's trend watch: how her baseline is learned, how it is scored. */
export interface TrendSettings {
  readonly baseline: BaselineParameters;
  readonly score: TrendParameters;
}

export const DEFAULT_TREND_SETTINGS: TrendSettings = {
  baseline: DEFAULT_BASELINE_PARAMETERS,
  score: DEFAULT_TREND_PARAMETERS,
};

/**
 * One patient's trend watch: a baseline per vital learned from her own samples, and the
 * deterioration score of each new sample against it. Bounded memory and constant work per
 * sample; time is the sample's own.
 */
export class PatientTrend {
  private readonly trackers: Record<TrendVital, BaselineTracker>;
  private current: TrendState;
  private last: TrendEvaluation | undefined;
  private scoring: TrendParameters;
  private scoredAgainst: Partial<Record<TrendVital, VitalBaseline>> = {};

  /** `raised`: a trend alert of hers is already open (raised before a restart). */
  constructor(
    readonly baseline: BaselineParameters = DEFAULT_BASELINE_PARAMETERS,
    scoring: TrendParameters = DEFAULT_TREND_PARAMETERS,
    raised?: 'low' | 'medium',
  ) {
    this.scoring = scoring;
    this.current = newTrendState(raised);
    this.trackers = Object.fromEntries(
      TREND_VITALS.map((vital) => [vital, new BaselineTracker(vital, baseline)]),
    ) as Record<TrendVital, BaselineTracker>;
  }

  /** How she is scored from now on; what her baseline has learned stays. */
  rescore(scoring: TrendParameters): void {
    this.scoring = scoring;
  }

  get parameters(): TrendParameters {
    return this.scoring;
  }

  /**
   * Takes a sample's vitals. `excluded`: something marks this time unfit to learn from (an open
   * alarm, a pause); the sample is still scored.
   */
  observe(ts: number, vitals: VitalValues, excluded: boolean): TrendEvaluation {
    for (const vital of TREND_VITALS) {
      const value = vitals[vital];
      if (value !== undefined) this.trackers[vital].add(ts, value, excluded);
    }
    const evaluation = evaluateTrend(this.current, ts, vitals, this.baselinesAt(ts), this.scoring);
    this.current = evaluation.state;
    this.last = evaluation;
    return evaluation;
  }

  /** Each vital's baseline as her latest sample was scored against (read-only: for a view). */
  get baselines(): Partial<Record<TrendVital, VitalBaseline>> {
    return this.scoredAgainst;
  }

  /** Each vital's baseline at `ts`; the same object while none of them changed. */
  private baselinesAt(ts: number): Partial<Record<TrendVital, VitalBaseline>> {
    let changed = false;
    for (const vital of TREND_VITALS)
      if (this.trackers[vital].baselineAt(ts) !== this.scoredAgainst[vital]) changed = true;
    if (!changed) return this.scoredAgainst;
    const baselines: Partial<Record<TrendVital, VitalBaseline>> = {};
    for (const vital of TREND_VITALS) {
      const baseline = this.trackers[vital].baselineAt(ts);
      if (baseline) baselines[vital] = baseline;
    }
    this.scoredAgainst = baselines;
    return baselines;
  }

  /** The latest evaluation, for explaining it; none before the first sample. */
  get latest(): TrendEvaluation | undefined {
    return this.last;
  }

  get state(): TrendState {
    return this.current;
  }
}
