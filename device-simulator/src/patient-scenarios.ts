import type { ConsciousnessLevel, VitalValues } from '@vigil/contracts';
import type { SeededRandom } from './random';

export const SCENARIO_NAMES = [
  'stable',
  'hypoxia',
  'sepsis',
  'bradycardia',
  'tachycardia',
  'copd',
  'artifact',
  'sensor-off',
  'offline',
  'battery',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What a correct Vigil does with a scenario: the acceptance script half of it. */
export interface ScenarioExpectation {
  /** Alert rules that must be raised once `dueBySeconds` of scenario time have passed. */
  readonly raises: readonly string[];
  /** Rules that may also be raised without being wrong (consequences of the same physiology). */
  readonly mayAlsoRaise: readonly string[];
  readonly dueBySeconds: number;
  /** Real seconds a run needs as well, because sustain times run on real time at any speed. */
  readonly minRealSeconds: number;
  /** The clinical story, for the summary. */
  readonly story: string;
}

const NEWS2_AND_TECHNICAL = ['news2', 'device.no-data'];

export const SCENARIOS: Record<ScenarioName, ScenarioExpectation> = {
  stable: {
    raises: [],
    mayAlsoRaise: [],
    dueBySeconds: 0,
    minRealSeconds: 0,
    story: 'a resting adult with normal variation',
  },
  sepsis: {
    raises: ['heartRate.above', 'respRate.above', 'temperature.above', 'systolicBp.below', 'news2'],
    mayAlsoRaise: ['spo2.below', 'systolicBp.fall', 'heartRate.rise', 'diastolicBp.below'],
    dueBySeconds: 3 * 3600,
    minRealSeconds: 75,
    story:
      'sepsis developing over 3 h: heart and respiratory rates and temperature up, blood pressure down, new confusion at the end; NEWS2 climbs through its bands',
  },
  hypoxia: {
    raises: ['spo2.below'],
    mayAlsoRaise: ['heartRate.above', 'respRate.above', 'heartRate.rise', ...NEWS2_AND_TECHNICAL],
    dueBySeconds: 75,
    minRealSeconds: 30,
    story: 'acute hypoxia: SpO2 falls 12 points in 45 s, heart and respiratory rates compensate',
  },
  bradycardia: {
    raises: ['heartRate.below'],
    // The recovery, 40/min in 30 s, meets the rise rule: a known nuisance of that rule.
    mayAlsoRaise: ['news2', 'heartRate.rise'],
    dueBySeconds: 120,
    minRealSeconds: 30,
    story: 'heart rate falls to about 36/min over a minute, holds 3 min, recovers',
  },
  tachycardia: {
    raises: ['heartRate.above', 'heartRate.rise'],
    mayAlsoRaise: ['news2', 'respRate.above'],
    dueBySeconds: 120,
    minRealSeconds: 75,
    story: 'sudden run of tachycardia at about 155/min for 3.5 min, ending as abruptly',
  },
  copd: {
    raises: [],
    mayAlsoRaise: [],
    dueBySeconds: 0,
    minRealSeconds: 0,
    story:
      'COPD, living at 88-92 % SpO2: admitted on NEWS2 Scale 2 with an SpO2 override at 88 %, so nothing alerts',
  },
  artifact: {
    raises: [],
    mayAlsoRaise: [],
    dueBySeconds: 0,
    minRealSeconds: 0,
    story: 'stable, with a single implausible sample (SpO2 70 % or heart rate 190) every 37 s',
  },
  'sensor-off': {
    raises: ['device.sensor-off'],
    mayAlsoRaise: ['device.no-data'],
    dueBySeconds: 75,
    minRealSeconds: 5,
    story: 'the sensor comes off the skin at 60 s for 2 min, then is put back',
  },
  offline: {
    raises: ['device.offline'],
    mayAlsoRaise: ['device.no-data'],
    dueBySeconds: 75,
    minRealSeconds: 5,
    story:
      'the wearable loses its network at 60 s for 90 s, buffers its samples and sends them when it is back',
  },
  battery: {
    raises: ['device.battery-low'],
    mayAlsoRaise: [],
    dueBySeconds: 480,
    minRealSeconds: 5,
    story: 'the battery drains from 40 % to 5 % over 15 min',
  },
};

export interface SimulatedPatient {
  readonly scenario: ScenarioName;
  readonly baseline: Required<VitalValues>;
}

/** What the wearable measures and does at one moment of its scenario. */
export interface ScenarioFrame {
  readonly vitals: VitalValues;
  readonly consciousness: ConsciousnessLevel;
  readonly onOxygen: boolean;
  readonly battery: number;
  readonly sensorOn: boolean;
  readonly connected: boolean;
}

/** A resting adult's values, varied per patient; a COPD patient lives lower on SpO2. */
export function admitSimulatedPatient(
  scenario: ScenarioName,
  random: SeededRandom,
): SimulatedPatient {
  return {
    scenario,
    baseline: {
      heartRate: Math.round(random.between(62, 84)),
      respRate: Math.round(scenario === 'copd' ? random.between(18, 20) : random.between(12, 17)),
      spo2: Math.round(scenario === 'copd' ? random.between(89, 91) : random.between(96, 99)),
      temperature: Number(random.between(36.4, 37.2).toFixed(1)),
      systolicBp: Math.round(random.between(112, 134)),
      diastolicBp: Math.round(random.between(68, 84)),
    },
  };
}

/** How far a hypoxia episode has gone: 0 at start, 1 after this many seconds. */
export const HYPOXIA_ONSET_SECONDS = 45;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
/** 0 before `from`, 1 after `to`, eased between. */
export const ramp = (t: number, from: number, to: number) => {
  const x = clamp((t - from) / (to - from), 0, 1);
  return x * x * (3 - 2 * x);
};
const between = (t: number, from: number, to: number) => t >= from && t < to;

/** When the sepsis story begins, and how long it takes to reach its worst. */
export const SEPSIS_ONSET_SECONDS = 60;
export const SEPSIS_SECONDS = 3 * 3600 - SEPSIS_ONSET_SECONDS;

/**
 * Sepsis `t` seconds after its onset: heart and respiratory rates and temperature up, pressure
 * and a little SpO2 down, eased in over SEPSIS_SECONDS.
 */
export function sepsisOffsets(t: number): Required<VitalValues> {
  const p = ramp(t, 0, SEPSIS_SECONDS);
  return {
    heartRate: 62 * p,
    respRate: 15 * p,
    spo2: -4 * p,
    temperature: 2.8 * p,
    systolicBp: -42 * p,
    diastolicBp: -24 * p,
  };
}

/** New confusion comes late in the story, when the patient is already very unwell. */
export const sepsisConfused = (t: number) => t + SEPSIS_ONSET_SECONDS > 0.9 * 3 * 3600;

/** Offsets from the baseline that a scenario adds at scenario time `t` (seconds). */
function course(scenario: ScenarioName, t: number, random: SeededRandom) {
  const offsets = {
    heartRate: 0,
    respRate: 0,
    spo2: 0,
    temperature: 0,
    systolicBp: 0,
    diastolicBp: 0,
  };
  switch (scenario) {
    case 'hypoxia': {
      const p = Math.min(1, t / HYPOXIA_ONSET_SECONDS);
      return { ...offsets, heartRate: 45 * p, respRate: 12 * p, spo2: -12 * p };
    }
    case 'sepsis':
      return sepsisOffsets(t - SEPSIS_ONSET_SECONDS);
    case 'bradycardia': {
      const falling = ramp(t, 30, 90);
      const recovering = ramp(t, 270, 300);
      return { ...offsets, heartRate: -1 * (falling - recovering) * 40 };
    }
    case 'tachycardia': {
      const on = between(t, 30, 240) ? 1 : 0;
      return { ...offsets, heartRate: on * 80, respRate: on * 4 };
    }
    case 'artifact': {
      // One implausible sample per 37 s: the motion of an arm, not a patient's state.
      if (Math.floor(t) % 37 !== 36) return offsets;
      return Math.floor(t / 37) % 2 === 0
        ? { ...offsets, spo2: -28 }
        : { ...offsets, heartRate: 190 - 70 + random.gaussian(2) };
    }
    default:
      return offsets;
  }
}

/**
 * The vitals a patient shows `t` seconds into her scenario, with measurement noise. Physiology
 * moves together as clinicians expect: hypoxia raises heart and respiratory rates; sepsis raises
 * heart rate, respiration and temperature while pressure falls.
 */
export function vitalsAt(patient: SimulatedPatient, t: number, random: SeededRandom): VitalValues {
  const { baseline } = patient;
  const offset = course(patient.scenario, t, random);
  const spo2Floor = patient.scenario === 'copd' ? 88 : 50;
  const spo2Ceiling = patient.scenario === 'copd' ? 92 : 100;
  return {
    heartRate: Math.round(
      clamp(baseline.heartRate + offset.heartRate + random.gaussian(1.5), 30, 220),
    ),
    respRate: Math.round(clamp(baseline.respRate + offset.respRate + random.gaussian(0.6), 4, 60)),
    spo2: Math.round(
      clamp(baseline.spo2 + offset.spo2 + random.gaussian(0.5), spo2Floor, spo2Ceiling),
    ),
    temperature: Number(
      (baseline.temperature + offset.temperature + random.gaussian(0.03)).toFixed(1),
    ),
    systolicBp: Math.round(baseline.systolicBp + offset.systolicBp + random.gaussian(2)),
    diastolicBp: Math.round(baseline.diastolicBp + offset.diastolicBp + random.gaussian(1.5)),
  };
}

/** Everything the wearable reports and does at scenario time `t`. */
export function frameAt(patient: SimulatedPatient, t: number, random: SeededRandom): ScenarioFrame {
  const { scenario } = patient;
  const septicConfusion = scenario === 'sepsis' && sepsisConfused(t - SEPSIS_ONSET_SECONDS);
  return {
    vitals: vitalsAt(patient, t, random),
    consciousness: septicConfusion ? 'C' : 'A',
    onOxygen: false,
    battery:
      scenario === 'battery'
        ? Math.max(5, Math.round(40 - (35 * t) / 900))
        : Math.max(50, Math.round(95 - t / 720)),
    sensorOn: !(scenario === 'sensor-off' && between(t, 60, 180)),
    connected: !(scenario === 'offline' && between(t, 60, 150)),
  };
}

/** Scenarios for `mixed`: mostly stable patients, and one of each story in turn. */
export function mixedScenario(index: number): ScenarioName {
  const stories = SCENARIO_NAMES.filter((name) => name !== 'stable');
  return index % 2 === 0 ? 'stable' : stories[Math.floor(index / 2) % stories.length];
}
