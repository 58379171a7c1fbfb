export const DEVICE_DIRECTORY = Symbol('DeviceDirectory');

/** Answers which patient wears a device; the binding lives on the server, never in telemetry. */
export interface DeviceBinding {
  readonly patientId: string;
  readonly ward: string;
}

export interface DeviceDirectory {
  bindingOf(deviceId: string): DeviceBinding | undefined;
}
