export const DEVICE_DIRECTORY = Symbol('DeviceDirectory');

/** Answers which patient wears a device; the binding lives on the server, never in telemetry. */
export interface DeviceDirectory {
  patientOf(deviceId: string): string | undefined;
}
