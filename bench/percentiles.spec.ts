// Proves the benchmark's percentiles are nearest-rank, so a p99 is a latency that was measured.
import { distribution, distributionByMinute } from './percentiles';

describe('distribution', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(distribution(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(distribution([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(distribution([]).count).toBe(0);
  });
});

describe('distributionByMinute', () => {
  it('groups measurements by the minute of the run they were taken in', () => {
    const start = 1_000_000;
    const points = [
      { at: start + 5_000, value: 10 },
      { at: start + 59_999, value: 30 },
      { at: start + 130_000, value: 7_000 },
      { at: start + 60_000, value: 20 },
    ];
    const minutes = distributionByMinute(points, start);
    expect(minutes.map((m) => [m.minute, m.spread.count, m.spread.max])).toEqual([
      [0, 2, 30],
      [1, 1, 20],
      [2, 1, 7_000],
    ]);
  });
});
