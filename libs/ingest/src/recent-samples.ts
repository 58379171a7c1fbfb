/**
 * Remembers the last timestamps stored per device, so a QoS 1 retransmission or a device
 * re-sending its buffer is not evaluated twice. The store dedupes durably; this only spares the
 * rules. A timestamp is remembered only once its sample is stored, so a write that failed (and
 * was not acknowledged) is taken again when the device resends it.
 *
 * Each device gets a ring of its last `perDevice` timestamps (4 KB for 512), not a Set: 10,000
 * devices stay in tens of megabytes. A timestamp newer than any seen, the usual case, is known to
 * be new without a search; only an older one (a resend, a late batch) scans the ring.
 */
export class RecentSamples {
  private readonly seen = new Map<string, { ring: Float64Array; next: number; newest: number }>();

  constructor(private readonly perDevice = 512) {}

  has(deviceId: string, ts: number): boolean {
    const device = this.seen.get(deviceId);
    if (!device || ts > device.newest) return false;
    return device.ring.includes(ts);
  }

  remember(deviceId: string, ts: number): void {
    let device = this.seen.get(deviceId);
    if (!device) {
      device = { ring: new Float64Array(this.perDevice).fill(NaN), next: 0, newest: -Infinity };
      this.seen.set(deviceId, device);
    }
    device.ring[device.next] = ts;
    device.next = (device.next + 1) % this.perDevice;
    if (ts > device.newest) device.newest = ts;
  }
}
