// Proves the benchmark's percentiles are nearest-rank, so a p99 is a latency that was measured.
import { distribution } from './percentiles';

describe('distribution', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(distribution(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(distribution([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(distribution([]).count).toBe(0);
  });
});
