/**
 * The devices' connections as the rest of Vigil sees them, wherever they are held: by this
 * process's broker, or by its edge workers (VIGIL_WORKERS).
 */
export abstract class DeviceConnections {
  /** Whether devices can connect now. */
  abstract readonly isUp: boolean;
  abstract readonly connectedDevices: number;
  /** Closes a device's connection now (its secret was rotated or revoked, it was unbound). */
  abstract disconnect(deviceId: string): void;

  /**
   * With edge workers: how many listen now, how many were replaced since the start, and how busy
   * each one's event loop was over its last window.
   */
  edgeWorkers(): EdgeWorkersReport | undefined {
    return undefined;
  }
}

export interface EdgeWorkersReport {
  readonly listening: number;
  readonly replaced: number;
  readonly loads: readonly {
    readonly worker: number;
    /** Share of the window its event loop was busy, 0 to 1. */
    readonly utilization: number;
    readonly delayP99Seconds: number;
  }[];
}
