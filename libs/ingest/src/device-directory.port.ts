import type { RuleSet, Spo2Scale } from '@vigil/rules';

export const DEVICE_DIRECTORY = Symbol('DeviceDirectory');

export interface DeviceBinding {
  readonly patientId: string;
  readonly ward: string;
}

/** What the rules need to know about a patient: her SpO2 scale and her thresholds. */
export interface ClinicalProfile {
  readonly spo2Scale: Spo2Scale;
  readonly rules: RuleSet;
}

/** Answers which patient wears a device; the binding lives on the server, never in telemetry. */
export interface DeviceDirectory {
  bindingOf(deviceId: string): DeviceBinding | undefined;
  /** Every bound device, for the no-data watch (twice a second: no copy of the list). */
  boundDeviceIds(): Iterable<string>;
  profileOf(patientId: string): ClinicalProfile;
}
