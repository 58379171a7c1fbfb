export const DEVICE_DIRECTORY = Symbol('DeviceDirectory');

export interface DeviceBinding {
  readonly patientId: string;
  readonly ward: string;
  /** Whether the device is on this patient now (else: it was, at the time asked about). */
  readonly current: boolean;
  /** The binding's period, epoch ms: from, and (past bindings) to, exclusive. */
  readonly from: number;
  readonly to?: number;
}

/** Answers which patient wears a device; the binding lives on the server, never in telemetry. */
export interface DeviceDirectory {
  /** Who wears the device now. */
  bindingOf(deviceId: string): DeviceBinding | undefined;
  /** Who wore the device at a sample's time (epoch ms); none when it was on nobody. */
  bindingAt(deviceId: string, ts: number): DeviceBinding | undefined;
  /** Every device worn now, for the no-data watch (twice a second: no copy of the list). */
  boundDeviceIds(): Iterable<string>;
}
