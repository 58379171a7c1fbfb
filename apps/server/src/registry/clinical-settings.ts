import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { Patient, ThresholdOverride, TrendOverrides } from '@vigil/contracts';
import type { PatientThresholdsDto, PatientTrendParametersDto, UpdatePatientDto } from '@vigil/dto';
import type { ClinicalProfile, ClinicalProfiles } from '@vigil/ingest';
import {
  DEFAULT_RULES,
  trendOverrideProblems,
  trendSettingsWith,
  withOverrides,
} from '@vigil/rules';
import { REGISTRY_STORE, auditEntry, type RegistryStore } from '@vigil/storage';
import { PatientRegistry } from './patient-registry';

/**
 * Each patient's clinical settings: her SpO2 scale and threshold overrides, and the profile the
 * rules engine evaluates her samples with (computed once per change, asked on every sample).
 */
@Injectable()
export class ClinicalSettings implements ClinicalProfiles {
  private readonly overrides = new Map<string, ThresholdOverride[]>();
  private readonly trendOverrides = new Map<string, TrendOverrides>();
  private readonly profiles = new Map<string, ClinicalProfile>();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly patients: PatientRegistry,
  ) {}

  async load(): Promise<void> {
    const overrides = await this.store.listThresholdOverrides();
    const trends = await this.store.listTrendOverrides();
    this.overrides.clear();
    this.trendOverrides.clear();
    this.profiles.clear();
    for (const [patientId, rules] of overrides) this.overrides.set(patientId, rules);
    for (const [patientId, trend] of trends) this.trendOverrides.set(patientId, trend);
  }

  profileOf(patientId: string): ClinicalProfile {
    let profile = this.profiles.get(patientId);
    if (!profile) {
      const overrides = (this.overrides.get(patientId) ?? []).map((rule) => ({
        ...rule,
        source: `per-patient override for ${patientId}`,
      }));
      const trend = this.trendOverridesOf(patientId);
      profile = {
        spo2Scale: this.patients.find(patientId)?.spo2Scale ?? 1,
        rules: withOverrides(DEFAULT_RULES, overrides),
        ...(trend.enabled !== false && { trend: trendSettingsWith(trend) }),
      };
      this.profiles.set(patientId, profile);
    }
    return profile;
  }

  thresholdOverridesOf(patientId: string): ThresholdOverride[] {
    return this.overrides.get(patientId) ?? [];
  }

  trendOverridesOf(patientId: string): TrendOverrides {
    return this.trendOverrides.get(patientId) ?? {};
  }

  /**
   * Replaces the patient's trend settings overrides: audited with the old, the new and the reason,
   * applied to her next sample (her baseline so far is kept when only scoring changes).
   */
  async setTrendOverrides(
    patientId: string,
    change: PatientTrendParametersDto,
    by: string,
  ): Promise<TrendOverrides> {
    this.patients.requireAdmitted(patientId);
    const parameters = Object.fromEntries(
      Object.entries(change.parameters).filter(([, value]) => value !== undefined),
    ) as TrendOverrides;
    const problems = trendOverrideProblems(parameters);
    if (problems.length > 0)
      throw new BadRequestException({ code: 'TREND.PARAMETERS_INVALID', message: problems });
    const audit = auditEntry(
      by,
      'patient.trend-parameters',
      patientId,
      this.trendOverridesOf(patientId),
      parameters,
      change.reason,
    );
    await this.store.setTrendOverrides(patientId, parameters, audit);
    this.trendOverrides.set(patientId, parameters);
    this.profiles.delete(patientId);
    return parameters;
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
