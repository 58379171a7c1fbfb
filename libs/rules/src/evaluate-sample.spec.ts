// Proves the threshold engine picks the worst breached rule per condition and reports clears.
import { DEFAULT_THRESHOLDS } from './default-thresholds';
import { evaluateSample } from './evaluate-sample';
import type { ThresholdRule } from './threshold-rule';

const rule = (overrides: Partial<ThresholdRule>): ThresholdRule => ({
  vital: 'spo2',
  comparison: 'below',
  threshold: 92,
  priority: 'high',
  source: 'test',
  ...overrides,
});

describe('evaluateSample', () => {
  it('reports nothing for normal adult vitals against the defaults', () => {
    const result = evaluateSample(
      {
        heartRate: 72,
        respRate: 14,
        spo2: 97,
        temperature: 36.8,
        systolicBp: 122,
        diastolicBp: 78,
      },
      DEFAULT_THRESHOLDS,
    );
    expect(result.breaches).toEqual([]);
    expect(result.cleared).toEqual(
      expect.arrayContaining([
        'spo2.below',
        'heartRate.above',
        'heartRate.below',
        'temperature.above',
      ]),
    );
  });

  it('raises the high-priority rule when SpO2 falls to 88%', () => {
    const { breaches } = evaluateSample({ spo2: 88 }, DEFAULT_THRESHOLDS);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ condition: 'spo2.below', value: 88 });
    expect(breaches[0].rule).toMatchObject({ threshold: 92, priority: 'high' });
  });

  it('uses the medium rule between the two SpO2 thresholds', () => {
    const { breaches } = evaluateSample({ spo2: 93 }, DEFAULT_THRESHOLDS);
    expect(breaches[0].rule).toMatchObject({ threshold: 94, priority: 'medium' });
  });

  it('treats the threshold itself as not breached', () => {
    expect(evaluateSample({ heartRate: 130 }, DEFAULT_THRESHOLDS).breaches).toEqual([
      expect.objectContaining({
        rule: expect.objectContaining({ threshold: 110, priority: 'medium' }),
      }),
    ]);
    expect(evaluateSample({ spo2: 94 }, DEFAULT_THRESHOLDS).breaches).toEqual([]);
  });

  it('keeps low and high sides of one vital as separate conditions', () => {
    const rules = [
      rule({ vital: 'heartRate', comparison: 'above', threshold: 110 }),
      rule({ vital: 'heartRate', comparison: 'below', threshold: 50 }),
    ];
    const { breaches, cleared } = evaluateSample({ heartRate: 140 }, rules);
    expect(breaches.map((b) => b.condition)).toEqual(['heartRate.above']);
    expect(cleared).toEqual(['heartRate.below']);
  });

  it('prefers the more extreme threshold between rules of equal priority', () => {
    const rules = [rule({ threshold: 92 }), rule({ threshold: 85 })];
    expect(evaluateSample({ spo2: 80 }, rules).breaches[0].rule.threshold).toBe(85);
  });

  it('ignores vitals the sample did not measure', () => {
    expect(evaluateSample({}, DEFAULT_THRESHOLDS)).toEqual({ breaches: [], cleared: [] });
  });

  it('cites a source for every default threshold', () => {
    for (const threshold of DEFAULT_THRESHOLDS) expect(threshold.source.length).toBeGreaterThan(10);
  });
});
