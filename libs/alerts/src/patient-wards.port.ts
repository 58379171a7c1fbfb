export const PATIENT_WARDS = Symbol('PatientWards');

/** Where each patient lies, as the application knows it (the registry answers). */
export interface PatientWards {
  /** The patient's ward, or undefined for a patient no longer known. */
  wardOf(patientId: string): string | undefined;
}
