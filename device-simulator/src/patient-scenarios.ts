import type { VitalValues } from '@vigil/contracts';
import type { SeededRandom } from './random';

export type ScenarioName = 'stable' | 'hypoxia';

export interface SimulatedPatient {
  readonly scenario: ScenarioName;
  readonly baseline: Required<VitalValues>;
}

/** A healthy adult's resting values, varied per patient. */
export function admitSimulatedPatient(
  scenario: ScenarioName,
  random: SeededRandom,
): SimulatedPatient {
  return {
    scenario,
    baseline: {
      heartRate: Math.round(random.between(62, 84)),
      respRate: Math.round(random.between(12, 17)),
      spo2: Math.round(random.between(96, 99)),
      temperature: Number(random.between(36.4, 37.2).toFixed(1)),
      systolicBp: Math.round(random.between(112, 134)),
      diastolicBp: Math.round(random.between(68, 84)),
    },
  };
}

/** How far a hypoxia episode has gone: 0 at start, 1 after this many seconds. */
export const HYPOXIA_ONSET_SECONDS = 45;

/**
 * The vitals a patient shows `elapsedSeconds` into the run. Hypoxia: SpO2 falls about 12 points
 * while heart and respiratory rates rise to compensate, as in acute respiratory decompensation.
 * Should raise: `spo2.below` (high) within about 30 s, then `heartRate.above` and `respRate.above`.
 */
export function vitalsAt(
  patient: SimulatedPatient,
  elapsedSeconds: number,
  random: SeededRandom,
): VitalValues {
  const { baseline } = patient;
  const progress =
    patient.scenario === 'hypoxia' ? Math.min(1, elapsedSeconds / HYPOXIA_ONSET_SECONDS) : 0;
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
  return {
    heartRate: Math.round(
      clamp(baseline.heartRate + 45 * progress + random.gaussian(1.5), 30, 220),
    ),
    respRate: Math.round(clamp(baseline.respRate + 12 * progress + random.gaussian(0.6), 4, 60)),
    spo2: Math.round(clamp(baseline.spo2 - 12 * progress + random.gaussian(0.5), 50, 100)),
    temperature: Number((baseline.temperature + random.gaussian(0.03)).toFixed(1)),
    systolicBp: Math.round(baseline.systolicBp + random.gaussian(2)),
    diastolicBp: Math.round(baseline.diastolicBp + random.gaussian(1.5)),
  };
}
