import type { AlertPriority } from './alert';
import type { VitalName } from './vital-signs.catalogue';

/**
 * One of the identifiers a hospital knows a person by: `system` names the issuer (the assigning
 * authority of HL7 v2 PID-3, a URI in FHIR), `type` is HL7 table 0203 (`MR`: the medical record
 * number).
 */
export interface PatientIdentifier {
  readonly system: string;
  readonly value: string;
  readonly type?: string;
}

/** HL7 table 0203's code of the medical record number (MRN). */
export const MRN_TYPE = 'MR';

/** FHIR R4 AdministrativeGender, which HL7 v2 PID-8 maps onto. */
export const PATIENT_SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type PatientSex = (typeof PATIENT_SEXES)[number];

/** On a ward now, or discharged (read-only, on no ward's view). */
export const PATIENT_STATUSES = ['admitted', 'discharged'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

export interface Patient {
  readonly id: string;
  readonly name: string;
  readonly identifiers: readonly PatientIdentifier[];
  /** `YYYY-MM-DD`. */
  readonly birthDate?: string;
  readonly sex?: PatientSex;
  readonly status: PatientStatus;
  /** The ward she lies on; once discharged, the ward she left. */
  readonly ward: string;
  readonly bed?: string;
  /** The current (or, once discharged, the last) stay. */
  readonly stayId: string;
  /** When that stay began. */
  readonly admittedAt: string;
  readonly dischargedAt?: string;
  /** NEWS2 SpO2 scale: 2 for hypercapnic respiratory failure (target 88-92 %). */
  readonly spo2Scale: 1 | 2;
}

/** The medical record number, which other systems refer to the patient by. */
export function mrnOf(patient: Pick<Patient, 'identifiers'>): PatientIdentifier | undefined {
  return patient.identifiers.find((identifier) => identifier.type === MRN_TYPE);
}

/** A place a stay passed through, from when to when (`to` absent: she is there now). */
export interface StayLocation {
  readonly ward: string;
  readonly bed?: string;
  readonly from: string;
  readonly to?: string;
}

/** Why a stay ended. */
export const STAY_END_REASONS = ['discharged', 'admission-cancelled', 'merged'] as const;
export type StayEndReason = (typeof STAY_END_REASONS)[number];

/** One stay (encounter) from admission to discharge; readmission opens a new one. */
export interface Stay {
  readonly id: string;
  readonly patientId: string;
  /** The hospital's visit number (HL7 v2 PV1-19), when the stay came from its PAS. */
  readonly visitNumber?: string;
  readonly start: string;
  readonly end?: string;
  readonly endReason?: StayEndReason;
  /** Free text given at discharge. */
  readonly dischargeNote?: string;
  readonly locations: readonly StayLocation[];
}

/** `available`: bound to no one; `in-use`: on a patient; `revoked`: its secret was withdrawn. */
export const DEVICE_STATES = ['available', 'in-use', 'revoked'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export interface Device {
  readonly id: string;
  readonly state: DeviceState;
  /** The patient wearing it now, or null. */
  readonly patientId: string | null;
  /** When it was put on that patient, or null. */
  readonly boundAt: string | null;
  readonly registeredAt: string;
}

/** One period a device was worn by a patient (`to` null: she wears it now). */
export interface DeviceBindingPeriod {
  readonly deviceId: string;
  readonly patientId: string;
  readonly from: string;
  readonly to: string | null;
}

/** One per-patient threshold; it replaces the default rules of its vital and direction. */
export interface ThresholdOverride {
  readonly vital: VitalName;
  readonly comparison: 'above' | 'below';
  readonly threshold: number;
  readonly priority: AlertPriority;
  readonly sustainSeconds?: number;
  readonly clearBand?: number;
}
