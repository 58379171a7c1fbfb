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

  constructor(private readonly commit: (items: readonly T[]) => void) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is pending now; also called on close. */
  flush(): void {
    this.scheduled = false;
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
