/**
 * Per-device allowance (of messages, of samples): `ratePerSecond` refilled continuously, up to
 * `burst` saved. Time is an argument, so the behaviour is tested without a clock.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes `count` tokens for `key`; false (and takes none) when fewer are left. */
  take(key: string, now: number, count = 1): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    }
    const tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond,
    );
    const allowed = tokens >= count;
    // In place: a new bucket per message would outlive the young generation at 10,000 devices.
    bucket.tokens = allowed ? tokens - count : tokens;
    bucket.at = now;
    return allowed;
  }
}
