// Proves the per-device allowance: a burst, then the sustained rate, per device, one or many at once.
import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it('allows a burst, then the refill rate, and keeps devices apart', () => {
    const buckets = new TokenBuckets(10, 20);
    const allowedAt = (key: string, now: number, tries: number) =>
      Array.from({ length: tries }, () => buckets.take(key, now)).filter(Boolean).length;
    expect(allowedAt('a', 0, 30)).toBe(20);
    expect(allowedAt('b', 0, 5)).toBe(5);
    expect(allowedAt('a', 500, 30)).toBe(5);
    expect(allowedAt('a', 10_500, 30)).toBe(20);
  });

  it('takes several tokens at once, or none', () => {
    const buckets = new TokenBuckets(50, 500);
    expect(buckets.take('a', 0, 500)).toBe(true);
    expect(buckets.take('a', 0, 1)).toBe(false);
    expect(buckets.take('a', 1_000, 51)).toBe(false);
    expect(buckets.take('a', 1_000, 50)).toBe(true);
  });
});
