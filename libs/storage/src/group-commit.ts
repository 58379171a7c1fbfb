interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Collects the writes that arrive in one turn of the event loop and commits them together, so
 * one fsync covers many devices' samples. Each caller's promise settles with the commit.
 */
export class GroupCommit<T> {
  private pending: Pending<T>[] = [];
  private scheduled = false;
  private lastCommit = 0;

  /**
   * `minIntervalMs`: commits are at least this far apart. Under load, writes then gather for a
   * few milliseconds into one fsync instead of paying one per turn of the event loop; a lone
   * write still commits on the next turn.
   */
  constructor(
    private readonly commit: (items: readonly T[]) => void,
    private readonly minIntervalMs = 0,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      const wait = this.lastCommit + this.minIntervalMs - Date.now();
      if (wait > 0) setTimeout(() => this.flush(), wait);
      else setImmediate(() => this.flush());
    });
  }

  /** Commits what is pending now; also called on close. */
  flush(): void {
    this.scheduled = false;
    this.lastCommit = Date.now();
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      this.commit(batch.map((pending) => pending.item));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) pending.resolve();
  }
}
