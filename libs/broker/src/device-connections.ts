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

  /** With edge workers: how many listen now, and how many were replaced since the start. */
  edgeWorkers(): { readonly listening: number; readonly replaced: number } | undefined {
    return undefined;
  }
}
