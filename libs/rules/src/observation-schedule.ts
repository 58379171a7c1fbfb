import type { News2Score } from './news2';

/**
 * How often a patient's observations are due, by her NEWS2 (RCP 2017, chart 3, "minimum
 * frequency of monitoring"): 12-hourly at a total of 0; 4-6-hourly at 1-4 (the shorter kept);
 * hourly for a single parameter scoring 3 or a total of 5-6; continuous at 7 or more, where the
 * wearable watches continuously and a nurse's set is asked for every 30 minutes.
 */
export function observationIntervalMs(score: Pick<News2Score, 'total' | 'risk'>): number {
  if (score.risk === 'high') return 30 * 60_000;
  if (score.risk === 'medium' || score.risk === 'low-medium') return 60 * 60_000;
  if (score.total >= 1) return 4 * 3_600_000;
  return 12 * 3_600_000;
}

/** On admission, the first set is due within the hour, whatever the wearable shows. */
export const FIRST_OBSERVATION_DUE_MS = 60 * 60_000;

/** When her next set is due: after her last set by her NEWS2, or an hour after admission. */
export function nextObservationDue(
  lastSetAt: number | undefined,
  admittedAt: number,
  score: Pick<News2Score, 'total' | 'risk'>,
): number {
  return lastSetAt === undefined
    ? admittedAt + FIRST_OBSERVATION_DUE_MS
    : lastSetAt + observationIntervalMs(score);
}
