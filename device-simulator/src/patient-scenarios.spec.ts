// Proves the simulated patients are plausible and that the deteriorating one breaches in time.
import { DEFAULT_THRESHOLDS, evaluateSample } from '@vigil/rules';
import { admitSimulatedPatient, vitalsAt } from './patient-scenarios';
import { SeededRandom } from './random';

function run(scenario: 'stable' | 'hypoxia', seed: number, seconds: number) {
  const random = new SeededRandom(seed);
  const patient = admitSimulatedPatient(scenario, random);
  return Array.from({ length: seconds }, (_, second) => ({
    second,
    vitals: vitalsAt(patient, second, random),
  }));
}

describe('simulated patients', () => {
  it('replays exactly with the same seed', () => {
    expect(run('hypoxia', 7, 20)).toEqual(run('hypoxia', 7, 20));
    expect(run('hypoxia', 7, 20)).not.toEqual(run('hypoxia', 8, 20));
  });

  it('keeps a stable patient free of alerts for ten minutes', () => {
    for (const seed of [1, 2, 3]) {
      const breaches = run('stable', seed, 600).flatMap(
        ({ vitals }) => evaluateSample(vitals, DEFAULT_THRESHOLDS).breaches,
      );
      expect(breaches).toEqual([]);
    }
  });

  it('takes a hypoxic patient below SpO2 92% within a minute', () => {
    for (const seed of [1, 2, 3]) {
      const first = run('hypoxia', seed, 60).find(({ vitals }) =>
        evaluateSample(vitals, DEFAULT_THRESHOLDS).breaches.some(
          (b) => b.condition === 'spo2.below' && b.rule.priority === 'high',
        ),
      );
      expect(first?.second).toBeLessThan(60);
    }
  });
});
