/**
 * Per-device message allowance: `ratePerSecond` refilled continuously, up to `burst` saved.
 * Time is an argument, so the behaviour is tested without a clock.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes one token for `key`; false when none is left. */
  take(key: string, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    }
    const tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond,
    );
    const allowed = tokens >= 1;
    // In place: a new bucket per message would outlive the young generation at 10,000 devices.
    bucket.tokens = allowed ? tokens - 1 : tokens;
    bucket.at = now;
    return allowed;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
