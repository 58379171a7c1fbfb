/**
 * Remembers the last timestamps seen per device, so a QoS 1 retransmission or a device re-sending
 * its buffer is not evaluated twice. The store dedupes durably; this only spares the rules.
 */
export class RecentSamples {
  private readonly seen = new Map<string, Set<number>>();

  constructor(private readonly perDevice = 1024) {}

  /** Records the timestamp; false when it was already seen. */
  add(deviceId: string, ts: number): boolean {
    let timestamps = this.seen.get(deviceId);
    if (!timestamps) {
      timestamps = new Set();
      this.seen.set(deviceId, timestamps);
    }
    if (timestamps.has(ts)) return false;
    timestamps.add(ts);
    if (timestamps.size > this.perDevice) {
      timestamps.delete(timestamps.values().next().value as number);
    }
    return true;
  }
}
