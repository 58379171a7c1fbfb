import { Body, Controller, Get, Param, Patch, Put, Query, Req, Res } from '@nestjs/common';
import type {
  News2View,
  Patient,
  PatientThresholds,
  PatientTrendView,
  ThresholdOverride,
  TrendOverrides,
  TrendSettingsView,
  UserView,
} from '@vigil/contracts';
import {
  AuditQueryDto,
  PatientThresholdsDto,
  PatientTrendParametersDto,
  UpdatePatientDto,
} from '@vigil/dto';
import { ClinicalEvaluator, TrendWatch } from '@vigil/ingest';
import { trendSettingsView, trendSettingsWith } from '@vigil/rules';
import type { StoredAuditEntry } from '@vigil/storage';
import type { Request, Response } from 'express';
import { news2View } from '../observations/news2-view';
import { ObservationScheduleService } from '../observations/observation-schedule.service';
import { CurrentUser, PatientWard, Roles } from '../auth/access.decorators';
import { readAuditPage } from './audit-page';
import { AuditTrail } from './audit-trail';
import { ClinicalSettings } from './clinical-settings';
import { PatientRegistry } from './patient-registry';

/**
 * A patient's clinical settings: SpO2 scale, threshold overrides, NEWS2, her trend watch and the
 * audit trail.
 */
@Controller('api/patients/:id')
@PatientWard()
export class PatientSettingsController {
  constructor(
    private readonly patients: PatientRegistry,
    private readonly settings: ClinicalSettings,
    private readonly trail: AuditTrail,
    private readonly clinical: ClinicalEvaluator,
    private readonly schedule: ObservationScheduleService,
    private readonly trends: TrendWatch,
  ) {}

  /** `{"spo2Scale": 2}`, on a clinician's order: audited, applied to the next sample. */
  @Patch()
  @Roles('admin', 'charge-nurse')
  update(
    @Param('id') id: string,
    @Body() body: UpdatePatientDto,
    @CurrentUser() user: UserView,
  ): Promise<Patient> {
    return this.settings.updatePatient(id, body, user.username);
  }

  @Get('thresholds')
  thresholds(@Param('id') id: string): PatientThresholds {
    this.patients.require(id);
    return {
      overrides: this.settings.thresholdOverridesOf(id),
      effective: this.settings.profileOf(id).rules.thresholds,
    };
  }

  /** Replaces the patient's overrides: audited (who, when, old and new), applied to the next sample. */
  @Put('thresholds')
  @Roles('admin')
  async setThresholds(
    @Param('id') id: string,
    @Body() body: PatientThresholdsDto,
    @CurrentUser() user: UserView,
  ): Promise<{ overrides: ThresholdOverride[] }> {
    return { overrides: await this.settings.setThresholds(id, body, user.username) };
  }

  /** Her baselines, the deterioration score against them, and what drives it now. */
  @Get('trends')
  trendsOf(@Param('id') id: string): PatientTrendView {
    this.patients.require(id);
    return this.trends.viewOf(id, this.settings.trendOverridesOf(id));
  }

  @Get('trend-parameters')
  trendParameters(@Param('id') id: string): {
    overrides: TrendOverrides;
    effective: TrendSettingsView;
  } {
    this.patients.require(id);
    const overrides = this.settings.trendOverridesOf(id);
    return {
      overrides,
      effective: trendSettingsView(trendSettingsWith(overrides), overrides.enabled !== false),
    };
  }

  /**
   * Replaces her trend settings overrides (`{"parameters": {...}, "reason": "..."}`): audited
   * (who, when, old, new, why), applied to her next sample.
   */
  @Put('trend-parameters')
  @Roles('admin')
  async setTrendParameters(
    @Param('id') id: string,
    @Body() body: PatientTrendParametersDto,
    @CurrentUser() user: UserView,
  ): Promise<{ overrides: TrendOverrides }> {
    return { overrides: await this.settings.setTrendOverrides(id, body, user.username) };
  }

  @Get('news2')
  news2(@Param('id') id: string): News2View {
    this.patients.require(id);
    const now = Date.now();
    const due = this.schedule.dueOf(id, now);
    return {
      ...news2View(this.clinical.news2Of(id, now), this.clinical.news2InputsOf(id), now),
      ...(due !== undefined && { nextObservationDue: new Date(due).toISOString() }),
    };
  }

  /** The patient's audit trail, a page at a time as `GET /api/audit?subject=` reads it. */
  @Get('audit')
  @Roles('admin', 'auditor')
  audit(
    @Param('id') id: string,
    @Query() query: AuditQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StoredAuditEntry[]> {
    this.patients.require(id);
    return readAuditPage(this.trail, { ...query, subject: id }, request, response);
  }
}
