export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles of a list of measurements. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  if (sorted.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  return {
    count: sorted.length,
    p50: rank(0.5),
    p95: rank(0.95),
    p99: rank(0.99),
    max: sorted[sorted.length - 1],
  };
}

/** Measurements grouped by the minute of the run they were taken in, with each minute's spread. */
export function distributionByMinute(
  points: readonly { readonly at: number; readonly value: number }[],
  startedAt: number,
): { readonly minute: number; readonly spread: Distribution }[] {
  const minutes = new Map<number, number[]>();
  for (const { at, value } of points) {
    const minute = Math.floor((at - startedAt) / 60_000);
    const values = minutes.get(minute) ?? [];
    values.push(value);
    minutes.set(minute, values);
  }
  return [...minutes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, values]) => ({ minute, spread: distribution(values) }));
}
