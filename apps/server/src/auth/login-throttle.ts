/**
 * Counts password attempts per key (a user name, an address, a device) in a sliding window. An
 * attempt is counted when it starts, before its password is hashed, so that N attempts made at
 * once cost exactly what N made one after another do; one that proves right is then released.
 * A key with `maxFailures` attempts inside the window is refused until the oldest leaves it.
 */
/** Past this many keys, keys with no attempt left in the window are forgotten. */
const PRUNE_ABOVE_KEYS = 10_000;

export class LoginThrottle {
  private readonly attempts = new Map<string, number[]>();

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

  /** Counts an attempt that is about to be checked. Call only when `retryAfterMs` is 0. */
  reserve(key: string): void {
    if (this.attempts.size >= PRUNE_ABOVE_KEYS) this.prune();
    const recent = this.recent(key);
    recent.push(this.now());
    // Only the last maxFailures matter for the decision; older ones are dropped.
    this.attempts.set(key, recent.slice(-this.maxFailures));
  }

  /** A reserved attempt proved right: it no longer counts (earlier failures still do). */
  release(key: string): void {
    const recent = this.attempts.get(key);
    recent?.pop();
    if (recent?.length === 0) this.attempts.delete(key);
  }

  /** The key proved right: none of its attempts count any more. */
  clear(key: string): void {
    this.attempts.delete(key);
  }

  /** Many user names and addresses tried once each must not grow the map for ever. */
  private prune(): void {
    const since = this.now() - this.windowMs;
    for (const [key, recent] of this.attempts) {
      if (recent[recent.length - 1] <= since) this.attempts.delete(key);
    }
  }

  /** Keys that still hold attempts. */
  get size(): number {
    return this.attempts.size;
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.attempts.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.attempts.delete(key);
    return recent;
  }
}
