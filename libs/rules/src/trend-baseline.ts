import type { TrendVital } from '@vigil/contracts';
import { medianInPlace } from './median';
import { Remedian } from './remedian';

export type { TrendVital };

export const TREND_VITALS: readonly TrendVital[] = [
  'heartRate',
  'respRate',
  'spo2',
  'temperature',
  'systolicBp',
];

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
  windowMs: 24 * 3_600_000,
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

const MAD_TO_SD = 1.4826;
/** Beyond 2 Hz for 5 minutes a bucket's remedian stops taking values (1,331 with these sizes). */
const REMEDIAN_BASE = 11;
const REMEDIAN_LEVELS = 3;
/**
 * Bucket medians are kept as 32-bit floats, half the memory of a day's ring; a vital's values
 * have at most two decimals (a median may be the mean of two tenths), which rounding to
 * thousandths gives back exactly.
 */
const unpacked = (stored: number) => Math.round(stored * 1000) / 1000;

/** Scratch for the once-a-bucket sort: shared, as JavaScript runs one baseline at a time. */
let scratch = new Float64Array(1024);

/**
 * One vital's baseline for one patient, learned from her own samples in fixed memory: a
 * streaming median of the bucket being filled (a remedian), a ring of the medians of the closed
 * buckets of the window and its lag, and the first buckets after admission. A bucket during which
 * anything marked the data as unfit (an open alarm, a pause) is left out. Work per sample is
 * constant; the baseline itself is computed once per bucket. Time is an argument; nothing here
 * reads a clock.
 */
export class BaselineTracker {
  private readonly ring: { index: Int32Array; median: Float32Array };
  private ringStart = 0;
  private ringSize = 0;
  private readonly first: Float32Array;
  private firstCount = 0;
  private firstFrom = 0;
  private firstTo = 0;
  private readonly remedian = new Remedian(REMEDIAN_BASE, REMEDIAN_LEVELS);
  /** The bucket being filled (its index: start / bucketMs), and whether it is unfit. */
  private currentIndex: number | undefined;
  private currentExcluded = false;
  private closedCount = 0;
  private cached: { key: number; closed: number; baseline: VitalBaseline | undefined } | undefined;

  constructor(
    private readonly vital: TrendVital,
    private readonly parameters: BaselineParameters = DEFAULT_BASELINE_PARAMETERS,
  ) {
    const capacity = Math.ceil((parameters.windowMs + parameters.lagMs) / parameters.bucketMs) + 1;
    this.ring = { index: new Int32Array(capacity), median: new Float32Array(capacity) };
    this.first = new Float32Array(parameters.minBuckets);
  }

  /** A sample's value at `ts`; `excluded` when it must not teach the baseline anything. */
  add(ts: number, value: number, excluded = false): void {
    const index = Math.floor(ts / this.parameters.bucketMs);
    if (this.currentIndex !== undefined && index < this.currentIndex) return; // late: closed
    if (this.currentIndex === undefined || index > this.currentIndex) {
      this.close();
      this.currentIndex = index;
    }
    if (excluded) this.currentExcluded = true;
    this.remedian.add(value);
  }

  /**
   * The baseline at `now`: from the lagged window when it holds enough buckets, else from the
   * first buckets learned after admission; none until there are enough.
   */
  baselineAt(now: number): VitalBaseline | undefined {
    this.closeIfPast(now);
    const key = Math.floor((now - this.parameters.lagMs) / this.parameters.bucketMs);
    if (this.cached?.key !== key || this.cached.closed !== this.closedCount) {
      this.cached = { key, closed: this.closedCount, baseline: this.compute(key) };
    }
    return this.cached.baseline;
  }

  /** From the buckets before `end` (a bucket index) within the window, or the first ones. */
  private compute(end: number): VitalBaseline | undefined {
    const { windowMs, minBuckets, bucketMs } = this.parameters;
    const from = end - Math.floor(windowMs / bucketMs);
    const capacity = this.ring.index.length;
    if (scratch.length < capacity) scratch = new Float64Array(capacity);
    let count = 0;
    let firstIndex = 0;
    let lastIndex = 0;
    for (let i = 0; i < this.ringSize; i += 1) {
      const slot = (this.ringStart + i) % capacity;
      const index = this.ring.index[slot];
      if (index < from || index >= end) continue;
      if (count === 0) firstIndex = index;
      lastIndex = index;
      scratch[count] = unpacked(this.ring.median[slot]);
      count += 1;
    }
    if (count < minBuckets) {
      if (this.firstCount < minBuckets) return undefined;
      for (let i = 0; i < this.firstCount; i += 1) scratch[i] = unpacked(this.first[i]);
      count = this.firstCount;
      firstIndex = this.firstFrom;
      lastIndex = this.firstTo;
    }
    const medians = scratch.subarray(0, count);
    const center = medianInPlace(medians);
    for (let i = 0; i < count; i += 1) medians[i] = Math.abs(medians[i] - center);
    const mad = medianInPlace(medians);
    return {
      median: center,
      spread: Math.max(MAD_TO_SD * mad, this.parameters.minSpread[this.vital]),
      buckets: count,
      from: firstIndex * bucketMs,
      to: (lastIndex + 1) * bucketMs,
    };
  }

  private closeIfPast(now: number): void {
    if (
      this.currentIndex !== undefined &&
      now >= (this.currentIndex + 1) * this.parameters.bucketMs
    ) {
      this.close();
      this.currentIndex = undefined;
    }
  }

  private close(): void {
    const index = this.currentIndex;
    const fit = !this.currentExcluded && this.remedian.size >= this.parameters.minSamplesPerBucket;
    const value = fit ? this.remedian.estimate() : NaN;
    this.remedian.reset();
    this.currentExcluded = false;
    if (index === undefined || !fit) return;
    const capacity = this.ring.index.length;
    const slot = (this.ringStart + this.ringSize) % capacity;
    this.ring.index[slot] = index;
    this.ring.median[slot] = value;
    if (this.ringSize < capacity) this.ringSize += 1;
    else this.ringStart = (this.ringStart + 1) % capacity;
    if (this.firstCount < this.first.length) {
      if (this.firstCount === 0) this.firstFrom = index;
      this.firstTo = index;
      this.first[this.firstCount] = value;
      this.firstCount += 1;
    }
    this.closedCount += 1;
  }
}
