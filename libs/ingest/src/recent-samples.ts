/**
 * Remembers the last timestamps taken in per device, and which of those are stored, so a QoS 1
 * retransmission or a device re-sending its buffer is evaluated once and written until stored. A
 * sample is evaluated when taken in, before its write is durable; a repeat of one not yet stored
 * (its write under way, or failed and not acknowledged) is written again, not evaluated again. The
 * store dedupes durably; this spares the rules and the disk.
 *
 * Each device gets a ring of its last `perDevice` timestamps with a stored flag each (4.5 KB for
 * 512), not a Set: 10,000 devices stay in tens of megabytes. A timestamp newer than any seen, the
 * usual case, is known to be new without a search; only an older one (a resend, a late batch)
 * scans the ring.
 */
export class RecentSamples {
  private readonly seen = new Map<
    string,
    { ring: Float64Array; stored: Uint8Array; next: number; newest: number }
  >();

  constructor(private readonly perDevice = 512) {}

  /** Whether the sample was taken in (and evaluated). */
  taken(deviceId: string, ts: number): boolean {
    return this.slotOf(deviceId, ts) !== -1;
  }

  /** Whether the sample was taken in and its write is durable. */
  stored(deviceId: string, ts: number): boolean {
    const slot = this.slotOf(deviceId, ts);
    return slot !== -1 && this.seen.get(deviceId)?.stored[slot] === 1;
  }

  take(deviceId: string, ts: number): void {
    let device = this.seen.get(deviceId);
    if (!device) {
      device = {
        ring: new Float64Array(this.perDevice).fill(NaN),
        stored: new Uint8Array(this.perDevice),
        next: 0,
        newest: -Infinity,
      };
      this.seen.set(deviceId, device);
    }
    device.ring[device.next] = ts;
    device.stored[device.next] = 0;
    device.next = (device.next + 1) % this.perDevice;
    if (ts > device.newest) device.newest = ts;
  }

  markStored(deviceId: string, ts: number): void {
    const slot = this.slotOf(deviceId, ts);
    if (slot !== -1) (this.seen.get(deviceId) as { stored: Uint8Array }).stored[slot] = 1;
  }

  /** Searches back from the latest taken: what was just written was taken last. */
  private slotOf(deviceId: string, ts: number): number {
    const device = this.seen.get(deviceId);
    if (!device || ts > device.newest) return -1;
    const { ring, next } = device;
    const recent = next === 0 ? -1 : ring.lastIndexOf(ts, next - 1);
    return recent !== -1 ? recent : ring.lastIndexOf(ts);
  }
}
