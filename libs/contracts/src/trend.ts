import type { VitalName } from './vital-signs.catalogue';

/** The alert rule of a deterioration found against the patient's own baseline. */
export const TREND_RULE = 'trend.deterioration';

/** The vitals a patient's own baseline is learned for. */
export type TrendVital = Exclude<VitalName, 'diastolicBp'>;

/**
 * A patient's own trend settings where they differ from the defaults (`PUT
 * /api/patients/:id/trend-parameters`); durations in seconds, like thresholds' sustain.
 */
export interface TrendOverrides {
  /** `false`: no trend alert for her (a known, explained course the team watches otherwise). */
  readonly enabled?: boolean;
  readonly bucketSeconds?: number;
  readonly minSamplesPerBucket?: number;
  readonly windowSeconds?: number;
  readonly lagSeconds?: number;
  readonly learningBuckets?: number;
  readonly smoothingSeconds?: number;
  readonly ignoreWithin?: number;
  readonly level?: number;
  readonly sustainSeconds?: number;
  readonly escalateLevel?: number;
  readonly clearLevel?: number;
}

/** The settings in force for a patient, in the units of `TrendOverrides`. */
export type TrendSettingsView = Required<TrendOverrides>;

/** One vital of `GET /api/patients/:id/trends`: her baseline, where she is now, and its part. */
export interface VitalTrendView {
  readonly vital: TrendVital;
  /** Her usual value, and the band within which she usually strays (median ± ignoreWithin × spread). */
  readonly baseline: number;
  readonly spread: number;
  readonly band: { readonly low: number; readonly high: number };
  /** The period the baseline was learned from, and from how many buckets. */
  readonly learnedFrom: string;
  readonly learnedTo: string;
  readonly buckets: number;
  /** Her smoothed value now, and how many spreads beyond her band it counts (0: within). */
  readonly now?: number;
  readonly deviation: number;
  /** When it began to count. */
  readonly since?: string;
}

/** `GET /api/patients/:id/trends`: her baselines, the deterioration score and what drives it. */
export interface PatientTrendView {
  readonly patientId: string;
  readonly at: string;
  /** `learning` until her first baseline; `off` when her settings disable the watch. */
  readonly status: 'learning' | 'watching' | 'raised' | 'off';
  readonly score: number;
  readonly level: number;
  /** Since when the score has been at or above the level. */
  readonly aboveSince?: string;
  readonly raised?: 'low' | 'medium';
  readonly vitals: readonly VitalTrendView[];
  /** The explanation a trend alert would carry now; absent while nothing counts. */
  readonly explanation?: string;
  readonly settings: TrendSettingsView;
  readonly overrides: TrendOverrides;
}
