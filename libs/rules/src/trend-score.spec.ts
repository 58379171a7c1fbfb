import { PatientTrend } from './patient-trend';
import { DEFAULT_BASELINE_PARAMETERS, type TrendVital, type VitalBaseline } from './trend-baseline';
import {
  DEFAULT_TREND_PARAMETERS,
  newTrendState,
  evaluateTrend,
  type TrendEvaluation,
  type TrendState,
} from './trend-score';

const MINUTE = 60_000;
const start = Date.parse('2026-12-02T12:00:00Z');
const baseline = (median: number, spread: number): VitalBaseline => ({
  median,
  spread,
  buckets: 72,
  from: start - 8 * 60 * MINUTE,
  to: start - 2 * 60 * MINUTE,
});
const BASELINES: Partial<Record<TrendVital, VitalBaseline>> = {
  heartRate: baseline(62, 3),
  respRate: baseline(12, 1),
  spo2: baseline(97, 1),
  systolicBp: baseline(124, 6),
  temperature: baseline(36.8, 0.2),
};

/** One value a minute for `minutes`, each vital as the function gives it at minute m. */
function run(
  minutes: number,
  values: (m: number) => Partial<Record<TrendVital, number>>,
  from: TrendState = newTrendState(),
): TrendEvaluation[] {
  const evaluations: TrendEvaluation[] = [];
  let state = from;
  for (let m = 0; m < minutes; m += 1) {
    const evaluation = evaluateTrend(state, start + m * MINUTE, values(m), BASELINES);
    evaluations.push(evaluation);
    state = evaluation.state;
  }
  return evaluations;
}

const usual = { heartRate: 62, respRate: 12, spo2: 97, systolicBp: 124, temperature: 36.8 };
const decisions = (evaluations: TrendEvaluation[]) =>
  evaluations.flatMap((e, m) => (e.decision.kind === 'none' ? [] : [[m, e.decision]]));

describe('the deterioration score against her own baseline', () => {
  it('raises nothing for her usual values, nor for one wild value', () => {
    const evaluations = run(180, (m) =>
      m === 60 ? { ...usual, heartRate: 180, spo2: 80 } : usual,
    );
    expect(decisions(evaluations)).toEqual([]);
    expect(Math.max(...evaluations.map((e) => e.score))).toBeLessThan(4);
  });

  it('raises a low alert when heart rate, breathing and temperature climb together, then medium', () => {
    // Over two hours: 62 → 88/min, 12 → 19/min, 36.8 → 37.3 °C; then on.
    const climbing = (m: number) => ({
      ...usual,
      heartRate: 62 + (26 * m) / 120,
      respRate: 12 + (7 * m) / 120,
      temperature: 36.8 + (0.5 * m) / 120,
    });
    const evaluations = run(240, climbing);
    const [[raisedAt, raised], [escalatedAt, escalated]] = decisions(evaluations) as [
      number,
      unknown,
    ][];
    expect(raised).toEqual({ kind: 'raise', priority: 'low' });
    expect(escalated).toEqual({ kind: 'escalate', priority: 'medium' });
    expect(raisedAt).toBeLessThan(escalatedAt);
    // Before NEWS2 would score her heart rate (91+) or breathing (21+) at all.
    expect(climbing(raisedAt).heartRate).toBeLessThan(91);
    expect(climbing(raisedAt).respRate).toBeLessThan(21);
    const explained = evaluations[raisedAt].contributions.filter((part) => part.deviation > 0);
    expect(explained.map((part) => part.vital).sort()).toEqual([
      'heartRate',
      'respRate',
      'temperature',
    ]);
    expect(
      explained.every((part) => part.since !== undefined && part.since < start + raisedAt * MINUTE),
    ).toBe(true);
  });

  it('takes no part of a late value older than the one it smoothed last', () => {
    const state = newTrendState();
    evaluateTrend(state, start, usual, BASELINES);
    evaluateTrend(state, start - 5 * MINUTE, { ...usual, heartRate: 140 }, BASELINES);
    // The next value is smoothed over the minute since the last in time, not six.
    const next = evaluateTrend(state, start + MINUTE, { ...usual, heartRate: 72 }, BASELINES);
    expect(next.contributions.find((part) => part.vital === 'heartRate')?.now).toBeCloseTo(
      62 + (1 - Math.exp(-0.1)) * 10,
      6,
    );
  });

  it('counts only the direction that matters', () => {
    const evaluations = run(180, () => ({ ...usual, heartRate: 45, spo2: 100, systolicBp: 160 }));
    expect(evaluations[179].score).toBe(0);
  });

  it('clears once she has been back near her baseline for the sustain time', () => {
    const high = { ...usual, heartRate: 80, respRate: 16, temperature: 37.3 };
    const raisedRun = run(40, () => high);
    expect(decisions(raisedRun).map(([, decision]) => decision)).toEqual([
      { kind: 'raise', priority: 'low' },
    ]);
    const after = run(90, () => usual, raisedRun[raisedRun.length - 1].state);
    expect(decisions(after).map(([, decision]) => decision)).toEqual([{ kind: 'clear' }]);
  });
});

describe("a patient's trend watch", () => {
  it('learns, scores and, with a trend alert open before a restart, can clear it', () => {
    const trend = new PatientTrend(DEFAULT_BASELINE_PARAMETERS, DEFAULT_TREND_PARAMETERS, 'low');
    const usualAt = () => ({
      heartRate: 62,
      respRate: 12,
      spo2: 97,
      systolicBp: 124,
      temperature: 36.8,
    });
    const decisionsSeen: string[] = [];
    for (let m = 0; m < 4 * 60; m += 0.25) {
      const { decision } = trend.observe(start + m * MINUTE, usualAt(), false);
      if (decision.kind !== 'none') decisionsSeen.push(`${decision.kind}@${Math.round(m)}`);
    }
    // Nothing clears before her baseline exists (2 h); then 20 min below the clear level.
    expect(decisionsSeen).toEqual(['clear@140']);
    expect(Object.keys(trend.baselines).sort()).toEqual([
      'heartRate',
      'respRate',
      'spo2',
      'systolicBp',
      'temperature',
    ]);
  });
});
