import type { TrendContribution } from './trend-score';

/** How each vital is written for a nurse: its name, unit, and the decimals that mean something. */
const WRITTEN = {
  heartRate: { name: 'heart rate', unit: '/min', decimals: 0 },
  respRate: { name: 'respiratory rate', unit: '/min', decimals: 0 },
  spo2: { name: 'SpO2', unit: ' %', decimals: 0 },
  temperature: { name: 'temperature', unit: ' °C', decimals: 1 },
  systolicBp: { name: 'systolic BP', unit: ' mmHg', decimals: 0 },
} as const satisfies Record<TrendContribution['vital'], unknown>;

const signed = (value: number, decimals: number) =>
  `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(decimals)}`;

/** One vital's part, as a nurse reads it: "heart rate 88/min (her usual 62, +26) for 48 min". */
export function describeContribution(part: TrendContribution, at: number): string {
  const written = WRITTEN[part.vital];
  const now = part.now.toFixed(written.decimals);
  const usual = part.baseline.toFixed(written.decimals);
  const change = signed(part.now - part.baseline, written.decimals);
  const minutes = part.since === undefined ? 0 : Math.round((at - part.since) / 60_000);
  return `${written.name} ${now}${written.unit} (her usual ${usual}, ${change}) for ${minutes} min`;
}

/**
 * The message of a `trend.deterioration` alert: the vitals that count, the most deviant first,
 * each against her own baseline. Only vitals that count are named: the others are as usual.
 */
export function explainTrend(contributions: readonly TrendContribution[], at: number): string {
  const counting = contributions
    .filter((part) => part.deviation > 0)
    .sort((a, b) => b.deviation - a.deviation);
  const parts = counting.map((part) => describeContribution(part, at));
  return `Deteriorating against her own baseline: ${parts.join('; ')}. Review the patient; NEWS2 may still be low.`;
}
