import type { ConsciousnessLevel, VitalValues } from '@vigil/contracts';
import {
  SEPSIS_SECONDS,
  admitSimulatedPatient,
  ramp,
  sepsisConfused,
  sepsisOffsets,
} from './patient-scenarios';
import type { SeededRandom } from './random';

/**
 * Whole days of a monitored patient, for evaluating the trend watch: a stable adult's day with
 * sleep, activity, drift, artifacts and gaps, and, for the deterioration stories, an illness that
 * begins at some hour of the stay. The physiology is ours, shaped by the sources named beside each
 * part; it is simulated, not recorded from patients.
 */
export const DAY_STORIES = [
  'stable',
  'sepsis',
  'sepsis-prodrome',
  'respiratory-failure',
  'haemorrhage',
] as const;
export type DayStory = (typeof DAY_STORIES)[number];

/**
 * The early sepsis the trend watch is for: over two hours her heart rate climbs 26/min, her
 * breathing 7/min and her temperature half a degree, all still inside NEWS2's normal bands; then
 * the simulator's sepsis takes her the rest of the way to shock.
 */
const PRODROME_SECONDS = 2 * 3600;
const PRODROME: Offsets = {
  heartRate: 26,
  respRate: 7,
  spo2: -1,
  temperature: 0.5,
  systolicBp: -6,
  diastolicBp: -3,
};

/** How long each deterioration takes to reach its worst, seconds. */
export const STORY_SECONDS: Readonly<Record<Exclude<DayStory, 'stable'>, number>> = {
  sepsis: SEPSIS_SECONDS,
  'sepsis-prodrome': PRODROME_SECONDS + SEPSIS_SECONDS,
  'respiratory-failure': 6 * 3600,
  haemorrhage: 2 * 3600,
};

export interface PatientDaysPlan {
  readonly story: DayStory;
  /** Epoch ms of admission: the hour of day matters, for sleep. */
  readonly admittedAt: number;
  readonly hours: number;
  /** For a deterioration, when it begins, seconds after admission. */
  readonly onsetSeconds?: number;
  readonly sampleEveryMs: number;
}

/** What the wearable sends at one moment: nothing while its sensor is off or its link is down. */
export interface PatientFrame {
  readonly ts: number;
  readonly vitals?: VitalValues;
  readonly consciousness: ConsciousnessLevel;
}

type Offsets = Required<VitalValues>;
const ZERO: Offsets = {
  heartRate: 0,
  respRate: 0,
  spo2: 0,
  temperature: 0,
  systolicBp: 0,
  diastolicBp: 0,
};
const HOUR = 3_600_000;

/** Each deterioration `t` seconds after its onset, beside sepsis (the simulator's own story). */
function illnessOffsets(story: DayStory, t: number): Offsets {
  if (story === 'stable' || t < 0) return ZERO;
  if (story === 'sepsis') return sepsisOffsets(t);
  if (story === 'sepsis-prodrome') {
    const early = ramp(t, 0, PRODROME_SECONDS);
    const septic = sepsisOffsets(t - PRODROME_SECONDS);
    const full = sepsisOffsets(SEPSIS_SECONDS);
    const blend = (vital: keyof Offsets) =>
      PRODROME[vital] * early +
      (full[vital] - PRODROME[vital]) * (septic[vital] / (full[vital] || 1));
    return {
      heartRate: blend('heartRate'),
      respRate: blend('respRate'),
      spo2: blend('spo2'),
      temperature: blend('temperature'),
      systolicBp: blend('systolicBp'),
      diastolicBp: blend('diastolicBp'),
    };
  }
  const p = ramp(t, 0, STORY_SECONDS[story]);
  if (story === 'respiratory-failure')
    // Type 1 respiratory failure building over hours: breathing and heart rate climb as
    // saturation falls; pressure barely moves.
    return { ...ZERO, respRate: 14 * p, spo2: -8 * p, heartRate: 25 * p, systolicBp: 6 * p };
  // Concealed haemorrhage (ATLS class II to III over two hours): heart rate up, pressure down,
  // breathing faster, skin cooler.
  return {
    heartRate: 50 * p,
    systolicBp: -45 * p,
    diastolicBp: -25 * p,
    respRate: 7 * p,
    spo2: -1 * p,
    temperature: -0.3 * p,
  };
}

/**
 * The alert conditions that point at a story's illness: on each vital it moves, in the direction
 * it moves it (a heart rate above or rising in sepsis, not a sleeping patient's heart rate below).
 */
export function conditionsPointingAt(story: DayStory): ReadonlySet<string> {
  if (story === 'stable') return new Set();
  const worst = illnessOffsets(story, STORY_SECONDS[story]);
  return new Set(
    Object.entries(worst).flatMap(([vital, change]) =>
      change > 0
        ? [`${vital}.above`, `${vital}.rise`]
        : change < 0
          ? [`${vital}.below`, `${vital}.fall`]
          : [],
    ),
  );
}

/**
 * Asleep (1) or awake (0) at an hour of the day, eased over half an hour at 23:00 and 06:30.
 * Sleep lowers blood pressure by 10-20 % in most people (O'Brien, Sheridan and O'Malley, Lancet
 * 1988, "dippers"), and heart and respiratory rates with it.
 */
function asleep(hourOfDay: number): number {
  const fallingAsleep = ramp(hourOfDay, 23, 23.5);
  const wakingUp = ramp(hourOfDay, 6.5, 7);
  return hourOfDay >= 12 ? fallingAsleep : 1 - wakingUp;
}

/**
 * Core temperature's circadian swing: about 0.5 °C from its trough near 05:00 to its peak in the
 * late afternoon (Refinetti and Menaker, Physiol Behav 1992).
 */
const circadianTemperature = (hourOfDay: number) =>
  0.25 * Math.cos((2 * Math.PI * (hourOfDay - 17)) / 24);

/** A slow wander of each vital (Ornstein-Uhlenbeck): a patient is not the same at 9 and at 15. */
class Drift {
  private value = 0;

  constructor(
    private readonly sd: number,
    private readonly tauSeconds: number,
  ) {}

  step(seconds: number, random: SeededRandom): number {
    const keep = Math.exp(-seconds / this.tauSeconds);
    this.value = this.value * keep + random.gaussian(this.sd * Math.sqrt(1 - keep * keep));
    return this.value;
  }
}

interface Episode {
  readonly from: number;
  readonly to: number;
  readonly intensity: number;
}

/** Episodes that start as a Poisson process of `perHour`, lasting between the given minutes. */
function* episodes(
  random: SeededRandom,
  start: number,
  end: number,
  perHour: number,
  minutes: readonly [number, number],
): Generator<Episode> {
  let at = start;
  for (;;) {
    at += (-Math.log(1 - random.next()) / perHour) * HOUR;
    if (at >= end) return;
    const to = at + random.between(minutes[0], minutes[1]) * 60_000;
    yield { from: at, to, intensity: random.between(0.3, 1) };
    at = to;
  }
}

/** Episodes of one kind, asked in time order. */
class EpisodeTrack {
  private readonly source: Generator<Episode>;
  private current: Episode | undefined;

  constructor(source: Generator<Episode>) {
    this.source = source;
    this.current = this.source.next().value ?? undefined;
  }

  at(ts: number): Episode | undefined {
    while (this.current && this.current.to <= ts) this.current = this.source.next().value;
    return this.current && ts >= this.current.from ? this.current : undefined;
  }
}

/**
 * The frames a wearable sends over `plan.hours`, one per `sampleEveryMs`, from a patient whose
 * own baseline `random` draws. Deterministic for a seed.
 */
export function* patientDays(plan: PatientDaysPlan, random: SeededRandom): Generator<PatientFrame> {
  const { baseline } = admitSimulatedPatient('stable', random);
  const end = plan.admittedAt + plan.hours * HOUR;
  const stepSeconds = plan.sampleEveryMs / 1000;
  const drift = {
    heartRate: new Drift(3, 3 * 3600),
    respRate: new Drift(0.8, 3 * 3600),
    spo2: new Drift(0.6, 3 * 3600),
    temperature: new Drift(0.1, 3 * 3600),
    systolicBp: new Drift(5, 3 * 3600),
  };
  // Walking to the bathroom, physiotherapy, visitors: a few bursts an hour while awake.
  const activity = new EpisodeTrack(episodes(random, plan.admittedAt, end, 0.6, [3, 20]));
  // A wrist sensor off the skin (washing, a loose strap), and the link down (out of range).
  const sensorOff = new EpisodeTrack(episodes(random, plan.admittedAt, end, 0.08, [5, 60]));
  const noLink = new EpisodeTrack(episodes(random, plan.admittedAt, end, 0.05, [10, 90]));
  const onset = plan.onsetSeconds ?? Infinity;

  for (let ts = plan.admittedAt; ts < end; ts += plan.sampleEveryMs) {
    const secondsIn = (ts - plan.admittedAt) / 1000;
    const hourOfDay = (((ts % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR)) / HOUR;
    const sleep = asleep(hourOfDay);
    const ill = illnessOffsets(plan.story, secondsIn - onset);
    const wanders = {
      heartRate: drift.heartRate.step(stepSeconds, random),
      respRate: drift.respRate.step(stepSeconds, random),
      spo2: drift.spo2.step(stepSeconds, random),
      temperature: drift.temperature.step(stepSeconds, random),
      systolicBp: drift.systolicBp.step(stepSeconds, random),
    };
    if (sensorOff.at(ts) || noLink.at(ts)) {
      yield { ts, consciousness: 'A' };
      continue;
    }
    // An ill patient stays in bed.
    const burst = secondsIn < onset && sleep < 0.5 ? activity.at(ts) : undefined;
    const effort = burst ? burst.intensity * ramp(ts, burst.from, burst.from + 60_000) : 0;
    const heartRate =
      baseline.heartRate - 9 * sleep + 35 * effort + wanders.heartRate + ill.heartRate;
    const values: Offsets = {
      heartRate: heartRate + random.gaussian(1.5),
      respRate:
        baseline.respRate -
        1.5 * sleep +
        6 * effort +
        wanders.respRate +
        ill.respRate +
        random.gaussian(0.6),
      // Wrist oximetry reads low while the arm moves.
      spo2:
        baseline.spo2 +
        wanders.spo2 +
        ill.spo2 -
        (burst ? 4 * burst.intensity : 0) +
        random.gaussian(0.5),
      temperature:
        baseline.temperature +
        circadianTemperature(hourOfDay) +
        wanders.temperature +
        ill.temperature +
        random.gaussian(0.03),
      systolicBp:
        baseline.systolicBp -
        14 * sleep +
        15 * effort +
        wanders.systolicBp +
        ill.systolicBp +
        random.gaussian(2),
      diastolicBp:
        baseline.diastolicBp - 9 * sleep + 8 * effort + ill.diastolicBp + random.gaussian(1.5),
    };
    // About one sample in 200 is an artifact: a value no patient has, from one sensor.
    if (random.next() < 0.005) {
      const wild = random.next();
      if (wild < 0.4) values.spo2 -= random.between(10, 25);
      else if (wild < 0.8) values.heartRate += random.between(-30, 70);
      else values.respRate += random.between(8, 20);
    }
    const septicFor =
      plan.story === 'sepsis'
        ? secondsIn - onset
        : plan.story === 'sepsis-prodrome'
          ? secondsIn - onset - PRODROME_SECONDS
          : -Infinity;
    const confused = septicFor >= 0 && sepsisConfused(septicFor);
    yield { ts, vitals: rounded(values), consciousness: confused ? 'C' : 'A' };
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** As a wearable reports them: whole numbers, temperature to a tenth, SpO2 at most 100. */
function rounded(values: Offsets): VitalValues {
  return {
    heartRate: Math.round(clamp(values.heartRate, 30, 220)),
    respRate: Math.round(clamp(values.respRate, 4, 60)),
    spo2: Math.round(clamp(values.spo2, 50, 100)),
    temperature: Number(values.temperature.toFixed(1)),
    systolicBp: Math.round(clamp(values.systolicBp, 50, 250)),
    diastolicBp: Math.round(clamp(values.diastolicBp, 25, 150)),
  };
}
