// Proves the engine steps through device time: sustain suppresses artifacts, hysteresis stops
// flapping, rate-of-change fires on a rise within its window. No clock is faked: time is data.
import type { VitalValues } from '@vigil/contracts';
import { DEFAULT_RULES } from './default-thresholds';
import {
  EMPTY_RULE_STATE,
  restartSustainTimers,
  evaluatePatient,
  type PatientRuleState,
  type RuleDecision,
} from './evaluate-patient';
import { withOverrides, type RuleSet } from './threshold-rule';

const T0 = Date.UTC(2026, 10, 28, 8, 0, 0);

/** Feeds samples at the given second offsets; returns every decision with its second. */
function run(
  rules: RuleSet,
  samples: [number, VitalValues][],
  state: PatientRuleState = EMPTY_RULE_STATE,
) {
  const decisions: (RuleDecision & { at: number })[] = [];
  for (const [second, vitals] of samples) {
    const result = evaluatePatient({ ts: T0 + second * 1000, vitals }, rules, state);
    state = result.state;
    decisions.push(...result.decisions.map((decision) => ({ ...decision, at: second })));
  }
  return { decisions, state };
}

const spo2Rule: RuleSet = {
  thresholds: [
    {
      vital: 'spo2',
      comparison: 'below',
      threshold: 90,
      priority: 'high',
      sustainSeconds: 15,
      clearBand: 2,
      source: 'test',
    },
  ],
  rates: [],
};
const everySecond = (
  from: number,
  to: number,
  vitals: (second: number) => VitalValues,
): [number, VitalValues][] =>
  Array.from({ length: to - from + 1 }, (_, i) => [from + i, vitals(from + i)]);

describe('evaluatePatient', () => {
  it('fires a breach only once it has held for the sustain time, then on every breaching sample', () => {
    const { decisions } = run(
      spo2Rule,
      everySecond(0, 20, () => ({ spo2: 85 })),
    );
    expect(decisions[0]).toMatchObject({
      kind: 'breach',
      condition: 'spo2.below',
      at: 15,
      priority: 'high',
      threshold: 90,
    });
    expect(decisions.map((d) => d.at)).toEqual([15, 16, 17, 18, 19, 20]);
  });

  it('fires nothing for a single-sample artifact, nor for breaches shorter than the sustain time', () => {
    const samples = everySecond(0, 60, (s) => ({
      spo2: s === 10 || (s >= 30 && s < 44) ? 70 : 97,
    }));
    expect(run(spo2Rule, samples).decisions).toEqual([]);
  });

  it('fires at once when the rule has no sustain time', () => {
    const { decisions } = run(DEFAULT_RULES, [[0, { systolicBp: 85 }]]);
    expect(decisions).toEqual([
      expect.objectContaining({
        kind: 'breach',
        condition: 'systolicBp.below',
        priority: 'high',
        at: 0,
      }),
    ]);
  });

  it('clears only past the clear band, so values flapping around the threshold stay one episode', () => {
    const flapping = everySecond(0, 60, (s) => ({ spo2: s < 20 ? 85 : s % 2 === 0 ? 89 : 91 }));
    const recovered: [number, VitalValues][] = [[61, { spo2: 92 }]];
    const { decisions } = run(spo2Rule, [...flapping, ...recovered]);
    expect(decisions.filter((d) => d.kind === 'clear')).toEqual([
      expect.objectContaining({ at: 61, value: 92 }),
    ]);
    expect(decisions.filter((d) => d.kind === 'breach')[0].at).toBe(15);
  });

  it('keeps the pending time across samples that do not measure the vital', () => {
    const samples: [number, VitalValues][] = [
      [0, { spo2: 85 }],
      [8, { heartRate: 80 }],
      [16, { spo2: 84 }],
    ];
    expect(run(spo2Rule, samples).decisions).toEqual([
      expect.objectContaining({ kind: 'breach', at: 16 }),
    ]);
  });

  it('fires a rise of 30/min within 10 minutes once it has lasted a minute, and clears when it leaves the window', () => {
    const rules: RuleSet = { thresholds: [], rates: DEFAULT_RULES.rates };
    const samples: [number, VitalValues][] = [
      [0, { heartRate: 70 }],
      [540, { heartRate: 101 }],
      [570, { heartRate: 102 }],
      [600, { heartRate: 103 }],
      [700, { heartRate: 103 }],
    ];
    const { decisions } = run(rules, samples);
    expect(decisions.map((d) => [d.kind, d.condition, d.at])).toEqual([
      ['breach', 'heartRate.rise', 600],
      ['clear', 'heartRate.rise', 700],
    ]);
  });

  it('does not fire a rate rule on a one-sample spike', () => {
    const rules: RuleSet = { thresholds: [], rates: DEFAULT_RULES.rates };
    const samples = everySecond(0, 120, (s) => ({ heartRate: s === 60 ? 190 : 72 }));
    expect(run(rules, samples).decisions).toEqual([]);
  });

  it('does not fire a rise spread over more than the window', () => {
    const rules: RuleSet = { thresholds: [], rates: DEFAULT_RULES.rates };
    const samples = everySecond(0, 1200, (s) => ({ heartRate: 70 + Math.floor(s / 60) * 2 }));
    expect(run(rules, samples).decisions).toEqual([]);
  });

  it('resumes a pending breach from persisted state, as after a restart', () => {
    const first = run(
      spo2Rule,
      everySecond(0, 10, () => ({ spo2: 85 })),
    );
    const restored = JSON.parse(JSON.stringify(first.state)) as PatientRuleState;
    const { decisions } = run(
      spo2Rule,
      everySecond(11, 15, () => ({ spo2: 85 })),
      restored,
    );
    expect(decisions[0]).toMatchObject({ kind: 'breach', at: 15 });
  });
});

describe('withOverrides', () => {
  it('replaces the default rules of an overridden condition, and only those', () => {
    const copd = withOverrides(DEFAULT_RULES, [
      {
        vital: 'spo2',
        comparison: 'below',
        threshold: 88,
        priority: 'high',
        sustainSeconds: 15,
        clearBand: 1,
        source: 'COPD target 88-92%',
      },
    ]);
    expect(copd.thresholds.filter((rule) => rule.vital === 'spo2')).toEqual([
      expect.objectContaining({ threshold: 88 }),
    ]);
    expect(copd.thresholds.filter((rule) => rule.vital === 'heartRate')).toHaveLength(4);
    const run89 = run(
      copd,
      everySecond(0, 20, () => ({ spo2: 89 })),
    );
    expect(run89.decisions).toEqual([]);
  });

  it('keeps a bounded rate window however long and fast a device streams', () => {
    let state = EMPTY_RULE_STATE;
    for (let second = 0; second < 2 * 3600; second++) {
      state = evaluatePatient(
        { ts: second * 1000, vitals: { heartRate: 70 + (second % 7), systolicBp: 120 } },
        DEFAULT_RULES,
        state,
      ).state;
    }
    expect(state.recent.heartRate?.length).toBeLessThanOrEqual(61);
    expect(state.recent.systolicBp?.length).toBeLessThanOrEqual(61);
    expect(JSON.stringify(state).length).toBeLessThan(6_000);
  });

  it('shares what a sample leaves unchanged with the state it came from', () => {
    const steady = { heartRate: 72, systolicBp: 120, spo2: 97 };
    const first = evaluatePatient({ ts: T0, vitals: steady }, DEFAULT_RULES, EMPTY_RULE_STATE);
    // The same values 2 s later, in the same rate buckets: nothing to remember anew.
    const again = evaluatePatient({ ts: T0 + 2_000, vitals: steady }, DEFAULT_RULES, first.state);
    expect(again.state).toBe(first.state);
    // A new heart-rate extreme replaces its open bucket only: the window and conditions are shared.
    const faster = evaluatePatient(
      { ts: T0 + 4_000, vitals: { ...steady, heartRate: 80 } },
      DEFAULT_RULES,
      again.state,
    );
    expect(faster.state.open?.heartRate).toEqual([T0, 72, 80]);
    expect(faster.state.open?.systolicBp).toBe(first.state.open?.systolicBp);
    expect(faster.state.recent).toBe(first.state.recent);
    expect(faster.state.conditions).toBe(first.state.conditions);
    // The state a sample came from is never changed by it.
    expect(first.state.open?.heartRate).toEqual([T0, 72, 72]);
    // A sample in the next bucket closes the open one into the window.
    const later = evaluatePatient({ ts: T0 + 10_000, vitals: steady }, DEFAULT_RULES, faster.state);
    expect(later.state.recent.heartRate).toEqual([[T0, 72, 80]]);
    expect(later.state.open?.heartRate).toEqual([T0 + 10_000, 72, 72]);
  });

  it('says which way is worse for each breach, from its rule rather than its name', () => {
    const rules: RuleSet = {
      thresholds: [
        { vital: 'heartRate', comparison: 'above', threshold: 130, priority: 'high', source: 't' },
        { vital: 'spo2', comparison: 'below', threshold: 90, priority: 'high', source: 't' },
      ],
      rates: [
        {
          vital: 'systolicBp',
          direction: 'fall',
          change: 40,
          withinSeconds: 600,
          priority: 'medium',
          source: 't',
        },
      ],
    };
    const { decisions } = run(rules, [
      [0, { heartRate: 80, spo2: 97, systolicBp: 140 }],
      [60, { heartRate: 150, spo2: 85, systolicBp: 95 }],
    ]);
    expect(
      Object.fromEntries(
        decisions.map((decision) => [
          decision.condition,
          decision.kind === 'breach' && decision.worse,
        ]),
      ),
    ).toEqual({ 'heartRate.above': 'above', 'spo2.below': 'below', 'systolicBp.fall': 'below' });
  });
});

describe('restartSustainTimers', () => {
  it('forgets pending breaches and keeps firing ones', () => {
    const state = {
      conditions: {
        'spo2.below': { phase: 'pending' as const, since: 1 },
        'heartRate.above': { phase: 'firing' as const, since: 2 },
      },
      recent: {},
    };
    expect(restartSustainTimers(state).conditions).toEqual({
      'heartRate.above': { phase: 'firing', since: 2 },
    });
    const firingOnly = { conditions: { a: { phase: 'firing' as const, since: 1 } }, recent: {} };
    expect(restartSustainTimers(firingOnly)).toBe(firingOnly);
  });
});
