// Proves each simulated story is plausible and does what it promises: run through the pure rules
// engine, it raises exactly the physiological alerts its expectation names, in time, and the same
// seed replays the same patient.
import {
  DEFAULT_RULES,
  EMPTY_RULE_STATE,
  evaluatePatient,
  withOverrides,
  type RuleSet,
} from '@vigil/rules';
import {
  SCENARIOS,
  SCENARIO_NAMES,
  admitSimulatedPatient,
  frameAt,
  type ScenarioName,
} from './patient-scenarios';
import { COPD_OVERRIDES } from '@vigil/client';
import { SeededRandom } from './random';

const TECHNICAL_OR_NEWS2 = /^(device\.|news2$)/;

/** Conditions the rules engine raises for a scenario run at 1 Hz, with the second each first fired. */
function fired(scenario: ScenarioName, seed: number, seconds: number): Map<string, number> {
  const random = new SeededRandom(seed);
  const patient = admitSimulatedPatient(scenario, random);
  const rules: RuleSet =
    scenario === 'copd'
      ? withOverrides(
          DEFAULT_RULES,
          COPD_OVERRIDES.map((rule) => ({ ...rule, source: 'test' })),
        )
      : DEFAULT_RULES;
  let state = EMPTY_RULE_STATE;
  const first = new Map<string, number>();
  for (let second = 0; second < seconds; second++) {
    const frame = frameAt(patient, second, random);
    if (!frame.sensorOn || !frame.connected) continue;
    const result = evaluatePatient({ ts: second * 1000, vitals: frame.vitals }, rules, state);
    state = result.state;
    for (const decision of result.decisions) {
      if (decision.kind === 'breach' && !first.has(decision.condition))
        first.set(decision.condition, second);
    }
  }
  return first;
}

describe('simulated patients', () => {
  it('replays exactly with the same seed', () => {
    const frames = (seed: number) => {
      const random = new SeededRandom(seed);
      const patient = admitSimulatedPatient('sepsis', random);
      return Array.from({ length: 30 }, (_, t) => frameAt(patient, t * 400, random));
    };
    expect(frames(7)).toEqual(frames(7));
    expect(frames(7)).not.toEqual(frames(8));
  });

  describe.each(SCENARIO_NAMES)('%s', (scenario) => {
    const expectation = SCENARIOS[scenario];
    const physiological = expectation.raises.filter((rule) => !TECHNICAL_OR_NEWS2.test(rule));
    const allowed = new Set([...expectation.raises, ...expectation.mayAlsoRaise]);

    it(`raises ${physiological.join(', ') || 'no physiological alert'} by ${expectation.dueBySeconds} s, and nothing it does not promise`, () => {
      const seconds = Math.max(600, expectation.dueBySeconds + 60);
      for (const seed of [1, 2, 3]) {
        const first = fired(scenario, seed, seconds);
        for (const rule of physiological) {
          expect([seed, rule, (first.get(rule) ?? Infinity) <= expectation.dueBySeconds]).toEqual([
            seed,
            rule,
            true,
          ]);
        }
        expect([seed, [...first.keys()].filter((rule) => !allowed.has(rule))]).toEqual([seed, []]);
      }
    });
  });

  it('keeps vitals inside the ranges a wearable can report, and tells the technical stories', () => {
    const random = new SeededRandom(4);
    const offline = admitSimulatedPatient('offline', random);
    const sensor = admitSimulatedPatient('sensor-off', random);
    const battery = admitSimulatedPatient('battery', random);
    expect([
      frameAt(offline, 59, random).connected,
      frameAt(offline, 100, random).connected,
    ]).toEqual([true, false]);
    expect(frameAt(sensor, 120, random).sensorOn).toBe(false);
    expect(frameAt(battery, 600, random).battery).toBeLessThan(20);
    const sepsis = admitSimulatedPatient('sepsis', random);
    const late = frameAt(sepsis, 3 * 3600, random);
    expect(late.consciousness).toBe('C');
    expect(late.vitals.temperature).toBeGreaterThan(39);
  });
});
