/**
 * Counts failed logins per key (a user name, an address) in a sliding window. A key with
 * `maxFailures` failures inside the window is refused until its oldest failure leaves it, so a
 * password cannot be guessed faster than `maxFailures` per window per user or per address.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.maxFailures) return 0;
    return recent[recent.length - this.maxFailures] + this.windowMs - this.now();
  }

  recordFailure(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    // Only the last maxFailures matter for the decision; older ones are dropped.
    this.failures.set(key, recent.slice(-this.maxFailures));
  }

  /** A successful login clears its key's failures. */
  recordSuccess(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}
