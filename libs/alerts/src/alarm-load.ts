import type { AlarmLoadByRule, AlarmLoadReport } from '@vigil/contracts';
import type { AlarmLoadRows } from '@vigil/storage';

/** The value below which `share` of the sorted values lie (nearest rank). */
function percentile(sorted: readonly number[], share: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

type RuleTally = { -readonly [K in keyof AlarmLoadByRule]: AlarmLoadByRule[K] } & {
  waits: number[];
};

const newTally = (rule: string, category: string): RuleTally => ({
  rule,
  category,
  alarms: 0,
  high: 0,
  medium: 0,
  low: 0,
  acknowledged: 0,
  resolvedUnacknowledged: 0,
  waits: [],
});

const seconds = (ms: number | undefined) =>
  ms === undefined ? undefined : Math.round(ms / 100) / 10;

/**
 * A ward's alarm load over [from, to), from its alarms, the pauses and standbys its staff set,
 * and the time patients lay there. Pure: rows and the period come in, the report comes out.
 */
export function alarmLoadReport(
  rows: AlarmLoadRows,
  period: { readonly ward: string; readonly from: number; readonly to: number },
): Omit<AlarmLoadReport, 'byPatient'> & { byPatient: { patientId: string; alarms: number }[] } {
  const byRule = new Map<string, RuleTally>();
  const byPatient = new Map<string, number>();
  const byPriority = { high: 0, medium: 0, low: 0 };
  const waits: number[] = [];
  let resolvedUnacknowledged = 0;
  let withdrawn = 0;
  for (const alert of rows.alerts) {
    byPriority[alert.priority]++;
    byPatient.set(alert.patientId, (byPatient.get(alert.patientId) ?? 0) + 1);
    const tally = byRule.get(alert.rule) ?? newTally(alert.rule, alert.category);
    byRule.set(alert.rule, tally);
    tally.alarms++;
    tally[alert.priority]++;
    if (alert.acknowledgedAt !== null) {
      const wait = alert.acknowledgedAt - alert.raisedAt;
      waits.push(wait);
      tally.waits.push(wait);
      tally.acknowledged++;
    } else if (alert.resolvedReason !== null) {
      withdrawn++;
    } else if (alert.resolvedAt !== null) {
      resolvedUnacknowledged++;
      tally.resolvedUnacknowledged++;
    }
  }
  waits.sort((a, b) => a - b);
  const pauses = rows.inactivations.filter((entry) => entry.kind === 'pause');
  const standbys = rows.inactivations.filter((entry) => entry.kind === 'standby');
  const byScope: Record<string, number> = {};
  for (const pause of pauses)
    byScope[pause.scope ?? 'all'] = (byScope[pause.scope ?? 'all'] ?? 0) + 1;
  const minutes = (entries: typeof pauses) =>
    entries.reduce((sum, entry) => sum + Math.max(0, entry.until - entry.from), 0) / 60_000;
  const alarms = rows.alerts.length;
  const patientDays = rows.patientMs / 86_400_000;
  return {
    ward: period.ward,
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    alarms,
    patientDays: Math.round(patientDays * 1e6) / 1e6,
    // Under a patient-day the rate says more about the period's shortness than the ward.
    ...(patientDays >= 1 && { alarmsPerPatientDay: Math.round((alarms / patientDays) * 10) / 10 }),
    byPriority,
    byRule: [...byRule.values()]
      .map(({ waits: ruleWaits, ...rule }) => {
        const median = seconds(
          percentile(
            [...ruleWaits].sort((a, b) => a - b),
            0.5,
          ),
        );
        return median === undefined ? rule : { ...rule, medianSecondsToAcknowledge: median };
      })
      .sort((a, b) => b.alarms - a.alarms || a.rule.localeCompare(b.rule)),
    byPatient: [...byPatient]
      .map(([patientId, count]) => ({ patientId, alarms: count }))
      .sort((a, b) => b.alarms - a.alarms || a.patientId.localeCompare(b.patientId)),
    timeToAcknowledge: {
      acknowledged: waits.length,
      ...(waits.length > 0 && {
        medianSeconds: seconds(percentile(waits, 0.5)),
        p90Seconds: seconds(percentile(waits, 0.9)),
      }),
    },
    resolvedUnacknowledged: {
      count: resolvedUnacknowledged,
      share: alarms === 0 ? 0 : Math.round((resolvedUnacknowledged / alarms) * 1000) / 1000,
    },
    withdrawn,
    pauses: { count: pauses.length, minutes: Math.round(minutes(pauses) * 10) / 10, byScope },
    standbys: { count: standbys.length, hours: Math.round((minutes(standbys) / 60) * 10) / 10 },
    truncated: rows.truncated,
  };
}
