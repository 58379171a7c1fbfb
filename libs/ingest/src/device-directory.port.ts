export const DEVICE_DIRECTORY = Symbol('DeviceDirectory');

export interface DeviceBinding {
  readonly patientId: string;
  readonly ward: string;
}

/** Answers which patient wears a device; the binding lives on the server, never in telemetry. */
export interface DeviceDirectory {
  bindingOf(deviceId: string): DeviceBinding | undefined;
  /** Every bound device, for the no-data watch (twice a second: no copy of the list). */
  boundDeviceIds(): Iterable<string>;
}
