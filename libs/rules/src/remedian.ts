import { medianInPlace } from './median';

/**
 * A streaming median in fixed memory: the remedian of Rousseeuw and Bassett (JASA 1990). Values
 * fill a buffer of `base`; a full buffer's median moves up one level and the buffer starts again.
 * The estimate is the weighted median of what every level holds (a value at level k stands for
 * base^k samples). Exact up to `base` values; beyond, robust to a minority of outliers as a
 * median is. Holds base × levels numbers whatever the count; values beyond base^levels are
 * ignored.
 */
export class Remedian {
  private readonly buffers: Float64Array[];
  private readonly filled: number[];
  private count = 0;

  constructor(
    private readonly base = 11,
    levels = 3,
  ) {
    this.buffers = Array.from({ length: levels }, () => new Float64Array(base));
    this.filled = Array.from({ length: levels }, () => 0);
  }

  get size(): number {
    return this.count;
  }

  add(value: number): void {
    if (this.count >= this.base ** this.buffers.length) return;
    this.count += 1;
    let carried = value;
    for (let level = 0; level < this.buffers.length; level += 1) {
      const buffer = this.buffers[level];
      buffer[this.filled[level]] = carried;
      this.filled[level] += 1;
      if (this.filled[level] < this.base || level === this.buffers.length - 1) return;
      carried = medianInPlace(buffer);
      this.filled[level] = 0;
    }
  }

  /** The estimate of the median of every value added since the last reset; NaN before any. */
  estimate(): number {
    const weighted: [number, number][] = [];
    let total = 0;
    for (let level = 0; level < this.buffers.length; level += 1) {
      const weight = this.base ** level;
      for (let i = 0; i < this.filled[level]; i += 1) {
        weighted.push([this.buffers[level][i], weight]);
        total += weight;
      }
    }
    if (total === 0) return NaN;
    weighted.sort((a, b) => a[0] - b[0]);
    let below = 0;
    for (let i = 0; i < weighted.length; i += 1) {
      below += weighted[i][1];
      if (below * 2 > total) return weighted[i][0];
      // Exactly half below: the mean of the two middle values, as an even count's median.
      if (below * 2 === total) return (weighted[i][0] + weighted[i + 1][0]) / 2;
    }
    return weighted[weighted.length - 1][0];
  }

  reset(): void {
    this.count = 0;
    this.filled.fill(0);
  }
}
