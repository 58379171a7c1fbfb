import type { RuleSet, Spo2Scale, TrendSettings } from '@vigil/rules';

export const CLINICAL_PROFILES = Symbol('ClinicalProfiles');

/** What the rules need to know about a patient: her SpO2 scale, her thresholds, her trend watch. */
export interface ClinicalProfile {
  readonly spo2Scale: Spo2Scale;
  readonly rules: RuleSet;
  /** None when her settings switch the trend watch off. */
  readonly trend?: TrendSettings;
}

/** Each patient's clinical profile, asked for every sample. */
export interface ClinicalProfiles {
  profileOf(patientId: string): ClinicalProfile;
}
