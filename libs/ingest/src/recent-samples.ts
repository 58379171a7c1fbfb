/**
 * Remembers the last timestamps stored per device, so a QoS 1 retransmission or a device
 * re-sending its buffer is not evaluated twice. The store dedupes durably; this only spares the
 * rules. A timestamp is remembered only once its sample is stored, so a write that failed (and
 * was not acknowledged) is taken again when the device resends it.
 */
export class RecentSamples {
  private readonly seen = new Map<string, Set<number>>();

  constructor(private readonly perDevice = 1024) {}

  has(deviceId: string, ts: number): boolean {
    return this.seen.get(deviceId)?.has(ts) ?? false;
  }

  remember(deviceId: string, ts: number): void {
    let timestamps = this.seen.get(deviceId);
    if (!timestamps) {
      timestamps = new Set();
      this.seen.set(deviceId, timestamps);
    }
    timestamps.add(ts);
    if (timestamps.size > this.perDevice) {
      timestamps.delete(timestamps.values().next().value as number);
    }
  }
}
