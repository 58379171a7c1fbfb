import type { VitalName } from '@vigil/contracts';
import { median } from './median';

/** The vitals a patient's own baseline is learned for. */
export type TrendVital = Exclude<VitalName, 'diastolicBp'>;

/**
 * How a baseline is learned. Data, with the reasons beside them; a patient's may be overridden.
 */
export interface BaselineParameters {
  /** Samples are summarised by their median per bucket: one artifact cannot move a median. */
  readonly bucketMs: number;
  /** A bucket with fewer samples than this says too little and is left out. */
  readonly minSamplesPerBucket: number;
  /**
   * The baseline is the median of the bucket medians of a window that ends `lagMs` before now,
   * so a slow deterioration is compared with the patient before it, not absorbed into her norm.
   */
  readonly windowMs: number;
  readonly lagMs: number;
  /** Until the lagged window holds this many buckets, the first hours after admission serve. */
  readonly minBuckets: number;
  /** Spread below this is noise of the sensor, not of the patient: deviations are not inflated. */
  readonly minSpread: Readonly<Record<TrendVital, number>>;
}

export const DEFAULT_BASELINE_PARAMETERS: BaselineParameters = {
  bucketMs: 5 * 60_000,
  minSamplesPerBucket: 10,
  windowMs: 6 * 3_600_000,
  lagMs: 2 * 3_600_000,
  // Two hours of clean data before the first baseline.
  minBuckets: 24,
  minSpread: { heartRate: 3, respRate: 1, spo2: 1, temperature: 0.2, systolicBp: 5 },
};

/** A vital's baseline: where the patient usually is, and how far she usually strays. */
export interface VitalBaseline {
  readonly median: number;
  /** Scaled median absolute deviation of the bucket medians (1.4826 × MAD), floored. */
  readonly spread: number;
  /** Buckets it was learned from, and the time they span. */
  readonly buckets: number;
  readonly from: number;
  readonly to: number;
}

interface Bucket {
  readonly start: number;
  readonly median: number;
}

const MAD_TO_SD = 1.4826;
/** Samples kept for the bucket being filled: 2 Hz for 5 minutes; beyond, a sample is skipped. */
const MAX_BUCKET_SAMPLES = 600;

/**
 * One vital's baseline for one patient, learned from her own samples with bounded memory: the
 * samples of the bucket being filled, and one median per closed bucket of the window and its lag.
 * A bucket during which anything marked the data as unfit (an open alarm, a pause, the sensor
 * off) is left out. Time is an argument; nothing here reads a clock.
 */
export class BaselineTracker {
  private readonly closed: Bucket[] = [];
  private current: { start: number; values: number[]; excluded: boolean } | undefined;

  constructor(
    private readonly vital: TrendVital,
    private readonly parameters: BaselineParameters = DEFAULT_BASELINE_PARAMETERS,
  ) {}

  /** A sample's value at `ts`; `excluded` when it must not teach the baseline anything. */
  add(ts: number, value: number, excluded = false): void {
    const start = Math.floor(ts / this.parameters.bucketMs) * this.parameters.bucketMs;
    if (this.current && start < this.current.start) return; // late: its bucket is closed
    if (!this.current || start > this.current.start) {
      this.close();
      this.current = { start, values: [], excluded: false };
    }
    if (excluded) this.current.excluded = true;
    if (this.current.values.length < MAX_BUCKET_SAMPLES) this.current.values.push(value);
  }

  /** Marks the bucket of `ts` unfit (an alarm opened, a pause began) without a sample. */
  exclude(ts: number): void {
    if (this.current && ts >= this.current.start) this.current.excluded = true;
  }

  /**
   * The baseline at `now`: from the lagged window when it holds enough buckets, else from the
   * first buckets learned after admission; none until there are enough.
   */
  baselineAt(now: number): VitalBaseline | undefined {
    this.closeIfPast(now);
    const { windowMs, lagMs, minBuckets, bucketMs } = this.parameters;
    const end = now - lagMs;
    const lagged = this.closed.filter(
      (bucket) => bucket.start + bucketMs <= end && bucket.start >= end - windowMs,
    );
    const chosen = lagged.length >= minBuckets ? lagged : this.closed.slice(0, minBuckets);
    if (chosen.length < minBuckets) return undefined;
    const medians = chosen.map((bucket) => bucket.median);
    const center = median(medians);
    const mad = median(medians.map((value) => Math.abs(value - center)));
    return {
      median: center,
      spread: Math.max(MAD_TO_SD * mad, this.parameters.minSpread[this.vital]),
      buckets: chosen.length,
      from: chosen[0].start,
      to: chosen[chosen.length - 1].start + bucketMs,
    };
  }

  private closeIfPast(now: number): void {
    if (this.current && now >= this.current.start + this.parameters.bucketMs) {
      this.close();
      this.current = undefined;
    }
  }

  private close(): void {
    const bucket = this.current;
    if (!bucket || bucket.excluded || bucket.values.length < this.parameters.minSamplesPerBucket)
      return;
    this.closed.push({ start: bucket.start, median: median(bucket.values) });
    // The first buckets stay while the lagged window is still short of them; beyond the window
    // and its lag, the oldest go.
    const { windowMs, lagMs, minBuckets, bucketMs } = this.parameters;
    const keep = Math.ceil((windowMs + lagMs) / bucketMs) + minBuckets;
    if (this.closed.length > keep) this.closed.splice(minBuckets, this.closed.length - keep);
  }
}
