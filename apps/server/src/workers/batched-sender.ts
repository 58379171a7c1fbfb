/**
 * Collects what is sent during one turn of the event loop and hands it on as one batch: one IPC
 * message carries every request (or answer) of the turn, not one each.
 */
export class BatchedSender<T> {
  private batch: T[] = [];
  private scheduled = false;

  constructor(private readonly flush: (batch: readonly T[]) => void) {}

  send(item: T): void {
    this.batch.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      const batch = this.batch;
      this.batch = [];
      this.scheduled = false;
      this.flush(batch);
    });
  }
}
