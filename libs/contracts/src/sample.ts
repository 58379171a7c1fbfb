import type { ConsciousnessLevel, VitalValues } from './vital-signs.catalogue';

/** A validated, normalised sample, bound to the patient wearing the device. */
export interface Sample {
  readonly patientId: string;
  readonly deviceId: string;
  /** The patient's ward when the sample arrived (a tag for storage and routing). */
  readonly ward?: string;
  /** The device's own timestamp, epoch milliseconds. */
  readonly ts: number;
  readonly seq: number;
  readonly vitals: VitalValues;
  readonly consciousness?: ConsciousnessLevel;
  readonly onOxygen?: boolean;
  readonly battery?: number;
}
