import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import {
  TREND_RULE,
  type PatientTrendView,
  type Sample,
  type TrendOverrides,
  type VitalTrendView,
} from '@vigil/contracts';
import {
  PatientTrend,
  TREND_VITALS,
  explainTrend,
  trendSettingsView,
  trendSettingsWith,
  type BaselineParameters,
  type TrendEvaluation,
  type TrendSettings,
} from '@vigil/rules';
import { CLINICAL_PROFILES, type ClinicalProfiles } from './clinical-profiles.port';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Each patient's trend watch, run after her thresholds and NEWS2 on every sample she is evaluated
 * for: her baseline learns from the sample unless an alarm of hers holds or her alarms are
 * paused, and `trend.deterioration` is raised, escalated and cleared through the alert lifecycle.
 * What her baseline learned lives in memory: a restart or a move to another node relearns it.
 */
@Injectable()
export class TrendWatch {
  private readonly logger = new Logger(TrendWatch.name);
  /** Each patient's trend, and the settings it was last given (compared by identity per sample). */
  private readonly trends = new Map<string, { trend: PatientTrend; settings: TrendSettings }>();

  constructor(
    @Inject(CLINICAL_PROFILES) private readonly profiles: ClinicalProfiles,
    private readonly alerts: AlertsService,
  ) {}

  observe(sample: Sample): void {
    const { patientId } = sample;
    const settings = this.profiles.profileOf(patientId).trend;
    if (!settings) {
      this.trends.delete(patientId);
      if (this.alerts.hasOpen(patientId, TREND_RULE))
        this.report(this.alerts.clear(patientId, TREND_RULE));
      return;
    }
    const trend = this.trendOf(patientId, settings);
    const excluded =
      this.alerts.physiologicalAlarmHolds(patientId) ||
      this.alerts.pauseOf(patientId) !== undefined;
    this.decide(sample, trend, trend.observe(sample.ts, sample.vitals, excluded));
  }

  /** Her trend, made anew when how her baseline is learned changed; rescored otherwise. */
  private trendOf(patientId: string, settings: TrendSettings): PatientTrend {
    const known = this.trends.get(patientId);
    if (known?.settings === settings) return known.trend;
    if (known && sameBaseline(known.trend.baseline, settings.baseline)) {
      known.trend.rescore(settings.score);
      this.trends.set(patientId, { trend: known.trend, settings });
      return known.trend;
    }
    const open = this.alerts
      .openAlerts()
      .find((alert) => alert.patientId === patientId && alert.rule === TREND_RULE);
    const raised = open ? (open.priority === 'low' ? 'low' : 'medium') : undefined;
    const trend = new PatientTrend(settings.baseline, settings.score, raised);
    this.trends.set(patientId, { trend, settings });
    return trend;
  }

  private decide(sample: Sample, trend: PatientTrend, evaluation: TrendEvaluation): void {
    const { decision } = evaluation;
    if (decision.kind === 'none') return;
    if (decision.kind === 'clear') {
      this.report(this.alerts.clear(sample.patientId, TREND_RULE));
      return;
    }
    this.report(
      this.alerts.breach({
        patientId: sample.patientId,
        deviceId: sample.deviceId,
        category: 'physiological',
        condition: TREND_RULE,
        vital: null,
        value: Math.round(evaluation.score * 10) / 10,
        threshold:
          decision.priority === 'medium' ? trend.parameters.escalateLevel : trend.parameters.level,
        priority: decision.priority,
        worse: 'above',
        ts: sample.ts,
        message: explainTrend(evaluation.contributions, sample.ts),
      }),
    );
  }

  /** What her trend watch sees at `now`: `GET /api/patients/:id/trends`. */
  viewOf(patientId: string, overrides: TrendOverrides, now = Date.now()): PatientTrendView {
    const settings = this.profiles.profileOf(patientId).trend;
    const trend = this.trends.get(patientId)?.trend;
    const base = { patientId, at: iso(now), overrides };
    if (!settings) {
      return {
        ...base,
        status: 'off',
        score: 0,
        level: 0,
        vitals: [],
        settings: trendSettingsView(trendSettingsWith(overrides), false),
      };
    }
    const latest = trend?.latest;
    // As her latest sample was scored: a read must not close a bucket her wearable is still filling.
    const baselines = trend?.baselines ?? {};
    const vitals: VitalTrendView[] = [];
    for (const vital of TREND_VITALS) {
      const baseline = baselines[vital];
      if (!baseline) continue;
      const part = latest?.contributions.find((c) => c.vital === vital);
      const halfBand = settings.score.ignoreWithin * baseline.spread;
      vitals.push({
        vital,
        baseline: baseline.median,
        spread: baseline.spread,
        band: { low: baseline.median - halfBand, high: baseline.median + halfBand },
        learnedFrom: iso(baseline.from),
        learnedTo: iso(baseline.to),
        buckets: baseline.buckets,
        ...(part && { now: part.now }),
        deviation: part?.deviation ?? 0,
        ...(part?.since !== undefined && { since: iso(part.since) }),
      });
    }
    const state = trend?.state;
    const score = latest?.score ?? 0;
    const counting = latest?.contributions.some((c) => c.deviation > 0) ?? false;
    return {
      ...base,
      status: state?.raised ? 'raised' : vitals.length === 0 ? 'learning' : 'watching',
      score: Math.round(score * 10) / 10,
      level: settings.score.level,
      ...(state?.aboveSince !== undefined && { aboveSince: iso(state.aboveSince) }),
      ...(state?.raised && { raised: state.raised }),
      vitals,
      ...(counting && latest && { explanation: explainTrend(latest.contributions, now) }),
      settings: trendSettingsView(settings),
    };
  }

  /** Forgets a patient's trend (her stay ended): a readmission learns her baseline afresh. */
  forget(patientId: string): void {
    this.trends.delete(patientId);
  }

  /** Drops the trends of the patients `covers` selects: another node acts for them now. */
  release(covers: (patientId: string) => boolean): void {
    for (const patientId of [...this.trends.keys()])
      if (covers(patientId)) this.trends.delete(patientId);
  }

  private report(done: Promise<void>): void {
    done.catch((error: unknown) => this.logger.error(`trend alert not recorded: ${String(error)}`));
  }
}

function sameBaseline(a: BaselineParameters, b: BaselineParameters): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
