interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Collects the writes that arrive in one turn of the event loop and commits them together, so
 * one fsync covers many devices' samples. Each caller's promise settles with the commit. The
 * commit may be asynchronous (another thread doing it); the next group gathers meanwhile.
 */
export class GroupCommit<T> {
  private pending: Pending<T>[] = [];
  private scheduled = false;
  private lastCommit = 0;
  private inFlight?: Promise<void>;

  /**
   * `minIntervalMs`: commits are at least this far apart. Under load, writes then gather for a
   * few milliseconds into one fsync instead of paying one per turn of the event loop; a lone
   * write still commits on the next turn.
   */
  constructor(
    private readonly commit: (items: readonly T[]) => void | Promise<void>,
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

  /** Commits what is pending now, or as soon as the commit under way has settled. */
  flush(): void {
    this.scheduled = false;
    if (this.inFlight) return;
    this.lastCommit = Date.now();
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let result: void | Promise<void>;
    try {
      result = this.commit(batch.map((pending) => pending.item));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (!result) {
      for (const pending of batch) pending.resolve();
      return;
    }
    // One asynchronous commit at a time: what arrives meanwhile goes into the next one, so a
    // slow disk makes commits bigger rather than more numerous.
    this.inFlight = result.then(
      () => batch.forEach((pending) => pending.resolve()),
      (error: unknown) => batch.forEach((pending) => pending.reject(error)),
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      if (this.pending.length > 0) this.flush();
    });
  }

  /** Commits what is pending and waits until nothing is under way; for closing. */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight) await this.inFlight;
  }
}
