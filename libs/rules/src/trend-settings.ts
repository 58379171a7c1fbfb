import type { TrendOverrides, TrendSettingsView } from '@vigil/contracts';
import { DEFAULT_TREND_SETTINGS, type TrendSettings } from './patient-trend';

/**
 * The most bucket medians a baseline may keep: its window and lag over its bucket. The defaults
 * keep 336; this bounds what one patient's overrides can make the watch hold and sort.
 */
export const MAX_BASELINE_BUCKETS = 600;

/** The settings in force, in the units a person writes: seconds, levels. */
export function trendSettingsView(settings: TrendSettings, enabled = true): TrendSettingsView {
  const { baseline, score } = settings;
  return {
    enabled,
    bucketSeconds: baseline.bucketMs / 1000,
    minSamplesPerBucket: baseline.minSamplesPerBucket,
    windowSeconds: baseline.windowMs / 1000,
    lagSeconds: baseline.lagMs / 1000,
    learningBuckets: baseline.minBuckets,
    smoothingSeconds: score.smoothingMs / 1000,
    ignoreWithin: score.ignoreWithin,
    level: score.level,
    sustainSeconds: score.sustainMs / 1000,
    escalateLevel: score.escalateLevel,
    clearLevel: score.clearLevel,
  };
}

/** The defaults with a patient's overrides applied. */
export function trendSettingsWith(overrides: TrendOverrides): TrendSettings {
  const view = { ...trendSettingsView(DEFAULT_TREND_SETTINGS), ...overrides };
  return {
    baseline: {
      ...DEFAULT_TREND_SETTINGS.baseline,
      bucketMs: view.bucketSeconds * 1000,
      minSamplesPerBucket: view.minSamplesPerBucket,
      windowMs: view.windowSeconds * 1000,
      lagMs: view.lagSeconds * 1000,
      minBuckets: view.learningBuckets,
    },
    score: {
      ...DEFAULT_TREND_SETTINGS.score,
      smoothingMs: view.smoothingSeconds * 1000,
      ignoreWithin: view.ignoreWithin,
      level: view.level,
      sustainMs: view.sustainSeconds * 1000,
      escalateLevel: view.escalateLevel,
      clearLevel: view.clearLevel,
    },
  };
}

/**
 * What is wrong with a set of overrides taken together (each field's own range is the DTO's):
 * none when they make a coherent watch.
 */
export function trendOverrideProblems(overrides: TrendOverrides): string[] {
  const view = { ...trendSettingsView(DEFAULT_TREND_SETTINGS), ...overrides };
  const problems: string[] = [];
  const buckets =
    (view.windowSeconds + view.lagSeconds) / view.bucketSeconds + view.learningBuckets;
  if (buckets > MAX_BASELINE_BUCKETS)
    problems.push(
      `window and lag span ${Math.ceil(buckets)} buckets with the learning ones; at most ${MAX_BASELINE_BUCKETS}`,
    );
  if (view.learningBuckets * view.bucketSeconds > view.windowSeconds)
    problems.push('learningBuckets × bucketSeconds must fit in windowSeconds');
  if (!(view.clearLevel < view.level && view.level <= view.escalateLevel))
    problems.push('levels must satisfy clearLevel < level ≤ escalateLevel');
  return problems;
}
