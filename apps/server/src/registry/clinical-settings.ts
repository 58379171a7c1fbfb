import { Inject, Injectable } from '@nestjs/common';
import type { Patient, ThresholdOverride } from '@vigil/contracts';
import type { PatientThresholdsDto, UpdatePatientDto } from '@vigil/dto';
import type { ClinicalProfile, ClinicalProfiles } from '@vigil/ingest';
import { DEFAULT_RULES, withOverrides } from '@vigil/rules';
import { REGISTRY_STORE, auditEntry, type RegistryStore } from '@vigil/storage';
import { PatientRegistry } from './patient-registry';

/**
 * Each patient's clinical settings: her SpO2 scale and threshold overrides, and the profile the
 * rules engine evaluates her samples with (computed once per change, asked on every sample).
 */
@Injectable()
export class ClinicalSettings implements ClinicalProfiles {
  private readonly overrides = new Map<string, ThresholdOverride[]>();
  private readonly profiles = new Map<string, ClinicalProfile>();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly patients: PatientRegistry,
  ) {}

  async load(): Promise<void> {
    const overrides = await this.store.listThresholdOverrides();
    this.overrides.clear();
    this.profiles.clear();
    for (const [patientId, rules] of overrides) this.overrides.set(patientId, rules);
  }

  profileOf(patientId: string): ClinicalProfile {
    let profile = this.profiles.get(patientId);
    if (!profile) {
      const overrides = (this.overrides.get(patientId) ?? []).map((rule) => ({
        ...rule,
        source: `per-patient override for ${patientId}`,
      }));
      profile = {
        spo2Scale: this.patients.find(patientId)?.spo2Scale ?? 1,
        rules: withOverrides(DEFAULT_RULES, overrides),
      };
      this.profiles.set(patientId, profile);
    }
    return profile;
  }

  thresholdOverridesOf(patientId: string): ThresholdOverride[] {
    return this.overrides.get(patientId) ?? [];
  }

  async updatePatient(patientId: string, change: UpdatePatientDto, by: string): Promise<Patient> {
    const updated = await this.patients.setSpo2Scale(patientId, change.spo2Scale, by);
    this.profiles.delete(patientId);
    return updated;
  }

  /** Replaces the patient's overrides: audited with the old and the new, and the reason given. */
  async setThresholds(
    patientId: string,
    change: PatientThresholdsDto,
    by: string,
  ): Promise<ThresholdOverride[]> {
    this.patients.requireAdmitted(patientId);
    const audit = auditEntry(
      by,
      'patient.thresholds',
      patientId,
      this.thresholdOverridesOf(patientId),
      change.thresholds,
      change.reason,
    );
    await this.store.setThresholdOverrides(patientId, change.thresholds, audit);
    this.overrides.set(patientId, change.thresholds);
    this.profiles.delete(patientId);
    return change.thresholds;
  }
}
