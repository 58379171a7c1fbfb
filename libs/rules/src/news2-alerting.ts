import type { AlertPriority, News2Risk } from '@vigil/contracts';
import { NEWS2_BAND_FLOORS, type News2Score } from './news2';

/** A NEWS2 value older than this counts as missing (blood pressure is often hourly). */
export const NEWS2_FRESHNESS_MS = 60 * 60_000;

/**
 * A nurse's level of consciousness and air/oxygen hold until her next set of observations, but
 * no longer than the longest interval NEWS2 allows between sets (12-hourly at a total of 0, RCP
 * 2017 chart 3): after that they count as missing, and the score says it is incomplete.
 */
export const OBSERVED_STATE_FRESHNESS_MS = 12 * 3_600_000;

/**
 * A vital sign a nurse measured (a manual blood pressure, a counted respiratory rate) counts as
 * long as a device's, an hour: a wearable's fresher value replaces it in any case.
 */
export const OBSERVED_VITAL_FRESHNESS_MS = NEWS2_FRESHNESS_MS;

/** A NEWS2 band must hold this long (device time) before it alerts, as the SpO2 alarm delay. */
export const NEWS2_SUSTAIN_MS = 15_000;

/** The priority a NEWS2 alert carries in each band; each rise is an upgrade, so it is announced. */
const NEWS2_PRIORITY: Readonly<Record<Exclude<News2Risk, 'low'>, AlertPriority>> = {
  'low-medium': 'low',
  medium: 'medium',
  high: 'high',
};

/** The band a patient's NEWS2 is in, and since when (device time, epoch ms). */
export interface News2Band {
  readonly risk: News2Risk;
  readonly since: number;
}

export type News2AlertDecision =
  /** Back in the low band: a NEWS2 alert, if one is open, clears. */
  | { readonly kind: 'clear' }
  /** Above low for the sustain time: a NEWS2 alert at the band's priority (raised or upgraded). */
  | {
      readonly kind: 'breach';
      readonly value: number;
      readonly threshold: number;
      readonly priority: AlertPriority;
      readonly message: string;
    }
  /** Above low, not yet for long enough. */
  | { readonly kind: 'pending' };

// Shared: this runs for every sample of every patient, and most decide nothing new.
const CLEAR: News2AlertDecision = { kind: 'clear' };
const PENDING: News2AlertDecision = { kind: 'pending' };

/**
 * What a NEWS2 score at `ts` means for the ward: the alert policy of NEWS2, pure. A band must hold
 * NEWS2_SUSTAIN_MS before it alerts, so one noisy sample does not (a nurse's observation set, which
 * is no noise, is decided with a sustain of 0: it alerts at once); the alert's value is the total,
 * its threshold the band's floor, its message the band's clinical response.
 */
export function decideNews2Alert(
  score: News2Score,
  band: News2Band | undefined,
  ts: number,
  sustainMs = NEWS2_SUSTAIN_MS,
): { readonly band: News2Band; readonly decision: News2AlertDecision } {
  const held = band?.risk === score.risk ? band : { risk: score.risk, since: ts };
  if (score.risk === 'low') return { band: held, decision: CLEAR };
  if (ts - held.since < sustainMs) return { band: held, decision: PENDING };
  return {
    band: held,
    decision: {
      kind: 'breach',
      value: score.total,
      threshold: NEWS2_BAND_FLOORS[score.risk],
      priority: NEWS2_PRIORITY[score.risk],
      message: `NEWS2 ${score.total} (${score.risk}${score.complete ? '' : ', partial'}): ${score.response}`,
    },
  };
}
