/**
 * Which worker holds each device's connection. MQTT allows one session per client id
 * [MQTT-3.1.4-2]: a device that connects through another worker (its old connection not yet
 * seen to end, say half-open) takes over, and the worker that held it is told to close the old
 * one. Only the end of the connection that holds the device counts as the device going offline.
 */
export class DeviceSessions<Worker> {
  private readonly holders = new Map<string, Worker>();

  /** The worker that held the device before, when another one: it must close that connection. */
  connected(deviceId: string, worker: Worker): Worker | undefined {
    const before = this.holders.get(deviceId);
    this.holders.set(deviceId, worker);
    return before !== undefined && before !== worker ? before : undefined;
  }

  /** Whether the connection that ended held the device (then the device is offline). */
  disconnected(deviceId: string, worker: Worker): boolean {
    if (this.holders.get(deviceId) !== worker) return false;
    this.holders.delete(deviceId);
    return true;
  }

  /** A worker is gone: the devices it held, offline now. */
  workerEnded(worker: Worker): string[] {
    const lost: string[] = [];
    for (const [deviceId, holder] of this.holders) {
      if (holder !== worker) continue;
      this.holders.delete(deviceId);
      lost.push(deviceId);
    }
    return lost;
  }

  holderOf(deviceId: string): Worker | undefined {
    return this.holders.get(deviceId);
  }

  get size(): number {
    return this.holders.size;
  }
}
