import { VITAL_NAMES, type Sample, type VitalValues } from '@vigil/contracts';
import type { HistoryPoint } from './telemetry-store.port';

/**
 * Means per bucket, with buckets aligned to multiples of `everyMs` since the epoch, as InfluxQL's
 * `GROUP BY time(...)` aligns them, so both adapters answer the same question the same way.
 */
export function downsample(samples: readonly Sample[], everyMs: number): HistoryPoint[] {
  const buckets = new Map<number, { sums: VitalValues; counts: VitalValues }>();
  for (const sample of samples) {
    const start = Math.floor(sample.ts / everyMs) * everyMs;
    let bucket = buckets.get(start);
    if (!bucket) {
      bucket = { sums: {}, counts: {} };
      buckets.set(start, bucket);
    }
    for (const name of VITAL_NAMES) {
      const value = sample.vitals[name];
      if (value === undefined) continue;
      bucket.sums[name] = (bucket.sums[name] ?? 0) + value;
      bucket.counts[name] = (bucket.counts[name] ?? 0) + 1;
    }
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([ts, { sums, counts }]) => {
      const vitals: VitalValues = {};
      for (const name of VITAL_NAMES) {
        const count = counts[name];
        if (count) vitals[name] = (sums[name] as number) / count;
      }
      return { ts, vitals };
    });
}
