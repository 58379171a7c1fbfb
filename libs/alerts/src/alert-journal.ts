import type { AlertEvent } from '@vigil/contracts';

/** Events kept for a database that does not commit; past this the oldest are given up. */
export const MAX_EVENTS_WAITING = 50_000;

export interface AlertJournalOptions {
  readonly write: (events: readonly AlertEvent[]) => Promise<void>;
  /** A write failed; it is tried again after `retryMs`, with what came meanwhile. */
  readonly failed: (error: unknown, waiting: number) => void;
  /** Events given up because too many were waiting. */
  readonly dropped: (events: number) => void;
  readonly retryMs: number;
  readonly maxWaiting?: number;
}

interface Entry {
  readonly events: readonly AlertEvent[];
  readonly durable: () => void;
}

/**
 * Writes alert events to the store one batch at a time, in the order they happened, and tries a
 * failed write again until it succeeds: a database that stalls or fails for a while loses none of
 * their history. In the same order, so a later state of an alert is never overwritten by an
 * earlier one written late.
 */
export class AlertJournal {
  private waiting: Entry[] = [];
  private count = 0;
  private writing = false;
  private closed = false;

  constructor(private readonly options: AlertJournalOptions) {}

  /** Resolves once the events are durable (never, if they are given up). */
  append(events: readonly AlertEvent[]): Promise<void> {
    return new Promise((durable) => {
      this.waiting.push({ events, durable });
      this.count += events.length;
      this.shed();
      void this.drain();
    });
  }

  /** Events not yet durable. */
  get backlog(): number {
    return this.count;
  }

  /** Stops trying again; what is under way finishes. */
  close(): void {
    this.closed = true;
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.waiting.length > 0 && !this.closed) {
        const batch = this.waiting;
        this.waiting = [];
        try {
          await this.options.write(batch.flatMap((entry) => entry.events));
          this.count -= batch.reduce((sum, entry) => sum + entry.events.length, 0);
          for (const entry of batch) entry.durable();
        } catch (error) {
          this.waiting = [...batch, ...this.waiting];
          this.shed();
          this.options.failed(error, this.count);
          await new Promise((resolve) => setTimeout(resolve, this.options.retryMs).unref());
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private shed(): void {
    const max = this.options.maxWaiting ?? MAX_EVENTS_WAITING;
    let dropped = 0;
    while (this.count > max && this.waiting.length > 1) {
      const oldest = this.waiting.shift() as Entry;
      this.count -= oldest.events.length;
      dropped += oldest.events.length;
    }
    if (dropped > 0) this.options.dropped(dropped);
  }
}
