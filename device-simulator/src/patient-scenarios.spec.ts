// Proves the simulated patients are plausible and that the deteriorating one breaches in time.
import {
  DEFAULT_RULES,
  DEFAULT_THRESHOLDS,
  EMPTY_RULE_STATE,
  evaluatePatient,
  evaluateSample,
} from '@vigil/rules';
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

  it('makes Vigil raise a high-priority SpO2 alert within a minute, sustain time included', () => {
    for (const seed of [1, 2, 3]) {
      let state = EMPTY_RULE_STATE;
      const fired = run('hypoxia', seed, 60).find(({ second, vitals }) => {
        const result = evaluatePatient({ ts: second * 1000, vitals }, DEFAULT_RULES, state);
        state = result.state;
        return result.decisions.some(
          (d) => d.kind === 'breach' && d.condition === 'spo2.below' && d.priority === 'high',
        );
      });
      expect(fired?.second).toBeLessThan(60);
    }
  });
});
