import type { ConsciousnessLevel, News2Risk, VitalName } from '@vigil/contracts';

export type { News2Risk };

/**
 * NEWS2, the National Early Warning Score 2 (Royal College of Physicians, December 2017), chart 1
 * (scoring) and chart 2 (thresholds and triggers).
 */
export type News2Parameter =
  | 'respRate'
  | 'spo2'
  | 'airOrOxygen'
  | 'systolicBp'
  | 'heartRate'
  | 'consciousness'
  | 'temperature';

export const NEWS2_PARAMETERS: readonly News2Parameter[] = [
  'respRate',
  'spo2',
  'airOrOxygen',
  'systolicBp',
  'heartRate',
  'consciousness',
  'temperature',
];

export type Spo2Scale = 1 | 2;

/**
 * Where each band above `low` starts (RCP 2017, chart 2): a total of 7 or more is high, 5 or more
 * medium; `low-medium` is a single parameter scoring 3 (its floor is that subscore, not a total).
 */
export const NEWS2_BAND_FLOORS: Readonly<Record<Exclude<News2Risk, 'low'>, number>> = {
  'low-medium': 3,
  medium: 5,
  high: 7,
};

/** RCP chart 2, the clinical response to each band (paraphrased). */
export const NEWS2_RESPONSE: Record<News2Risk, string> = {
  low: 'Registered nurse to assess and decide on the frequency of monitoring or escalation (at least 4-6 hourly; 12-hourly at 0).',
  'low-medium':
    'A single parameter scores 3: registered nurse to inform the medical team; urgent ward-based response; at least hourly monitoring.',
  medium:
    'Urgent response: registered nurse to inform the medical team at once; urgent assessment by a clinician competent in acute illness; at least hourly monitoring.',
  high: 'Emergency response: emergency assessment by a team with critical-care competencies; continuous monitoring; consider transfer to a higher level of care.',
};

export interface TimedValue<T> {
  readonly value: T;
  /** Epoch milliseconds of the sample or observation that carried it. */
  readonly ts: number;
  /** Where it came from: a device, or a nurse's observation (its id and who recorded it). */
  readonly deviceId?: string;
  readonly observationId?: string;
  readonly recordedBy?: string;
  /** How long it counts; absent: the freshness scoreNews2 is given. */
  readonly freshForMs?: number;
}

/** The latest value of each scored input, whenever it arrived. */
export interface News2Inputs {
  readonly respRate?: TimedValue<number>;
  readonly spo2?: TimedValue<number>;
  readonly onOxygen?: TimedValue<boolean>;
  readonly systolicBp?: TimedValue<number>;
  readonly heartRate?: TimedValue<number>;
  readonly consciousness?: TimedValue<ConsciousnessLevel>;
  readonly temperature?: TimedValue<number>;
}

export interface News2Score {
  /** Sum of the subscores that could be computed. */
  readonly total: number;
  readonly subscores: Partial<Record<News2Parameter, number>>;
  readonly risk: News2Risk;
  readonly response: string;
  readonly scale: Spo2Scale;
  /** Parameters with no value within the freshness window: never scored 0 in silence. */
  readonly missing: readonly News2Parameter[];
  readonly complete: boolean;
}

/**
 * Rounding rule, before scoring: NEWS2 bands are whole numbers, and tenths of a degree for
 * temperature. Values are rounded half up to that resolution, so a respiration rate of 8.5 scores
 * as 9 and 35.04 °C as 35.0. (The chart itself leaves in-between values undefined.)
 */
export function roundForNews2(parameter: 'temperature' | VitalName, value: number): number {
  const factor = parameter === 'temperature' ? 10 : 1;
  return Math.round(value * factor + 1e-9) / factor;
}

/** [upper bound inclusive, score] pairs in ascending order; the last entry is open-ended. */
type Bands = readonly (readonly [number, number])[];
const score = (bands: Bands, value: number) =>
  (bands.find(([upper]) => value <= upper) ?? bands[bands.length - 1])[1];

const RESP_RATE: Bands = [
  [8, 3],
  [11, 1],
  [20, 0],
  [24, 2],
  [Infinity, 3],
];
const SPO2_SCALE_1: Bands = [
  [91, 3],
  [93, 2],
  [95, 1],
  [Infinity, 0],
];
const SPO2_SCALE_2_LOW: Bands = [
  [83, 3],
  [85, 2],
  [87, 1],
  [92, 0],
];
const SPO2_SCALE_2_ON_OXYGEN: Bands = [
  [94, 1],
  [96, 2],
  [Infinity, 3],
];
const SYSTOLIC: Bands = [
  [90, 3],
  [100, 2],
  [110, 1],
  [219, 0],
  [Infinity, 3],
];
const PULSE: Bands = [
  [40, 3],
  [50, 1],
  [90, 0],
  [110, 1],
  [130, 2],
  [Infinity, 3],
];
const TEMPERATURE: Bands = [
  [35.0, 3],
  [36.0, 1],
  [38.0, 0],
  [39.0, 1],
  [Infinity, 2],
];

/** SpO2 subscore, or undefined when Scale 2 needs to know air or oxygen and does not. */
function spo2Score(
  spo2: number,
  scale: Spo2Scale,
  onOxygen: boolean | undefined,
): number | undefined {
  if (scale === 1) return score(SPO2_SCALE_1, spo2);
  if (spo2 <= 92) return score(SPO2_SCALE_2_LOW, spo2);
  // Scale 2 at 93% or more: 0 on air, 1-3 on oxygen (hyperoxia risk in hypercapnic failure).
  if (onOxygen === undefined) return undefined;
  return onOxygen ? score(SPO2_SCALE_2_ON_OXYGEN, spo2) : 0;
}

export function scoreNews2(
  inputs: News2Inputs,
  scale: Spo2Scale,
  now: number,
  freshnessMs: number,
): News2Score {
  const fresh = <T>(input: TimedValue<T> | undefined): T | undefined =>
    input && now - input.ts <= (input.freshForMs ?? freshnessMs) ? input.value : undefined;
  const respRate = fresh(inputs.respRate);
  const spo2 = fresh(inputs.spo2);
  const onOxygen = fresh(inputs.onOxygen);
  const systolic = fresh(inputs.systolicBp);
  const pulse = fresh(inputs.heartRate);
  const consciousness = fresh(inputs.consciousness);
  const temperature = fresh(inputs.temperature);

  const subscores: Partial<Record<News2Parameter, number>> = {};
  if (respRate !== undefined)
    subscores.respRate = score(RESP_RATE, roundForNews2('respRate', respRate));
  if (spo2 !== undefined) {
    const spo2Subscore = spo2Score(roundForNews2('spo2', spo2), scale, onOxygen);
    if (spo2Subscore !== undefined) subscores.spo2 = spo2Subscore;
  }
  if (onOxygen !== undefined) subscores.airOrOxygen = onOxygen ? 2 : 0;
  if (systolic !== undefined)
    subscores.systolicBp = score(SYSTOLIC, roundForNews2('systolicBp', systolic));
  if (pulse !== undefined) subscores.heartRate = score(PULSE, roundForNews2('heartRate', pulse));
  if (consciousness !== undefined) subscores.consciousness = consciousness === 'A' ? 0 : 3;
  if (temperature !== undefined)
    subscores.temperature = score(TEMPERATURE, roundForNews2('temperature', temperature));

  const values = Object.values(subscores);
  const total = values.reduce((sum, value) => sum + value, 0);
  const risk: News2Risk =
    total >= NEWS2_BAND_FLOORS.high
      ? 'high'
      : total >= NEWS2_BAND_FLOORS.medium
        ? 'medium'
        : values.some((value) => value >= NEWS2_BAND_FLOORS['low-medium'])
          ? 'low-medium'
          : 'low';
  const missing = NEWS2_PARAMETERS.filter((parameter) => subscores[parameter] === undefined);
  return {
    total,
    subscores,
    risk,
    response: NEWS2_RESPONSE[risk],
    scale,
    missing,
    complete: missing.length === 0,
  };
}
