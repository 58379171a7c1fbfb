import type { RuleSet, Spo2Scale } from '@vigil/rules';

export const CLINICAL_PROFILES = Symbol('ClinicalProfiles');

/** What the rules need to know about a patient: her SpO2 scale and her thresholds. */
export interface ClinicalProfile {
  readonly spo2Scale: Spo2Scale;
  readonly rules: RuleSet;
}

/** Each patient's clinical profile, asked for every sample. */
export interface ClinicalProfiles {
  profileOf(patientId: string): ClinicalProfile;
}
