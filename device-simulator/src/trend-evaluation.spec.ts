import { conditionsPointingAt, patientDays, type PatientDaysPlan } from './patient-days';
import { SeededRandom } from './random';
import { evaluateStream } from './trend-evaluation';

const admittedAt = Date.UTC(2026, 0, 5, 9);
const plan = (story: PatientDaysPlan['story'], hours: number, onsetHours?: number) => ({
  story,
  admittedAt,
  hours,
  sampleEveryMs: 15_000,
  ...(onsetHours !== undefined && { onsetSeconds: onsetHours * 3600 }),
});

describe('the trend evaluation', () => {
  it('replays a patient exactly for a seed, gaps and all', () => {
    const frames = (seed: number) => [...patientDays(plan('stable', 24), new SeededRandom(seed))];
    const first = frames(3);
    expect(frames(3)).toEqual(first);
    expect(first).toHaveLength(24 * 240);
    // Sensor off or link down now and then: frames without vitals.
    expect(first.some((frame) => frame.vitals === undefined)).toBe(true);
  });

  it('finds early sepsis before NEWS2 medium, and holds its peace on the same patient stable', () => {
    const ill = plan('sepsis-prodrome', 16, 8);
    const septic = evaluateStream(ill, patientDays(ill, new SeededRandom(11)));
    const raise = septic.trends[0].raises.find((ts) => ts >= (septic.onset ?? 0));
    expect(raise).toBeDefined();
    expect(septic.firstNews2Medium).toBeDefined();
    expect((septic.firstNews2Medium as number) - (raise as number)).toBeGreaterThan(30 * 60_000);

    const calm = plan('stable', 16);
    expect(evaluateStream(calm, patientDays(calm, new SeededRandom(11))).trends[0].raises).toEqual(
      [],
    );
  });

  it('counts as pointing at an illness only the alerts on what it moves, the way it moves it', () => {
    const haemorrhage = conditionsPointingAt('haemorrhage');
    expect(haemorrhage.has('heartRate.above')).toBe(true);
    expect(haemorrhage.has('systolicBp.fall')).toBe(true);
    expect(haemorrhage.has('heartRate.below')).toBe(false);
    expect(conditionsPointingAt('sepsis').has('temperature.below')).toBe(false);
    expect(conditionsPointingAt('stable').size).toBe(0);
  });
});
