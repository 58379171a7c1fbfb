// Proves what the trend watch learns from and when it speaks, against stand-ins for the alerts
// service and the clinical profiles (the alert lifecycle has its own specs; the whole path runs in
// test/trend-watch.e2e-spec.ts).
import type { AlertsService } from '@vigil/alerts';
import { TREND_RULE, type Alert, type Sample } from '@vigil/contracts';
import { DEFAULT_RULES, DEFAULT_TREND_SETTINGS, trendSettingsWith } from '@vigil/rules';
import type { ClinicalProfile, ClinicalProfiles } from './clinical-profiles.port';
import { TrendWatch } from './trend-watch';

const MINUTE = 60_000;
const start = Date.parse('2026-12-02T06:00:00Z');
const usual = { heartRate: 62, respRate: 12, spo2: 97, temperature: 36.8, systolicBp: 124 };

function setUp(profile: ClinicalProfile, open: Partial<Alert>[] = []) {
  const calls: string[] = [];
  let holds = false;
  let paused = false;
  const alerts = {
    physiologicalAlarmHolds: () => holds,
    pauseOf: () => (paused ? { until: 'later' } : undefined),
    hasOpen: () => open.length > 0,
    openAlerts: () => open,
    breach: async (report: { priority: string; message: string }) =>
      void calls.push(`breach ${report.priority}: ${report.message}`),
    clear: async (_patient: string, condition: string) => void calls.push(`clear ${condition}`),
  } as unknown as AlertsService;
  const profiles = { profileOf: () => profile } as unknown as ClinicalProfiles;
  const watch = new TrendWatch(profiles, alerts);
  const feed = (fromMinute: number, minutes: number, vitals: (m: number) => Sample['vitals']) => {
    for (let m = fromMinute; m < fromMinute + minutes; m += 0.25)
      watch.observe({
        patientId: 'p1',
        deviceId: 'd1',
        ts: start + m * MINUTE,
        seq: m * 4,
        vitals: vitals(m),
      });
  };
  return {
    watch,
    calls,
    feed,
    hold: (value: boolean) => void (holds = value),
    pause: (value: boolean) => void (paused = value),
  };
}

const watching: ClinicalProfile = {
  spo2Scale: 1,
  rules: DEFAULT_RULES,
  trend: DEFAULT_TREND_SETTINGS,
};

describe('the trend watch of each patient', () => {
  it('learns nothing while an alarm of hers holds or her alarms are paused', () => {
    const { watch, feed, hold, pause } = setUp(watching);
    hold(true);
    feed(0, 90, () => usual);
    hold(false);
    pause(true);
    feed(90, 90, () => usual);
    expect(watch.viewOf('p1', {}, start + 180 * MINUTE).status).toBe('learning');
    pause(false);
    feed(180, 125, () => usual);
    expect(watch.viewOf('p1', {}, start + 305 * MINUTE)).toMatchObject({
      status: 'watching',
      vitals: expect.arrayContaining([
        expect.objectContaining({
          vital: 'heartRate',
          baseline: 62,
          learnedFrom: '2026-12-02T09:00:00.000Z',
        }),
      ]),
    });
  });

  it('raises low with the explanation, escalates to medium as she worsens, and says so in the view', () => {
    const { watch, calls, feed } = setUp(watching);
    feed(0, 150, () => usual);
    feed(150, 150, (m) => ({
      ...usual,
      heartRate: 62 + Math.min(40, (m - 150) / 2),
      respRate: 12 + Math.min(10, (m - 150) / 8),
      temperature: 36.8 + Math.min(1.5, (m - 150) / 60),
    }));
    expect(calls.map((call) => call.split(':')[0])).toEqual(['breach low', 'breach medium']);
    expect(calls[0]).toMatch(/heart rate \d+\/min \(her usual 62, \+\d+\) for \d+ min/);
    expect(watch.viewOf('p1', {}, start + 300 * MINUTE)).toMatchObject({
      status: 'raised',
      raised: 'medium',
    });
  });

  it('clears her open trend alert when her settings switch the watch off', () => {
    const off = { spo2Scale: 1, rules: DEFAULT_RULES } as ClinicalProfile;
    const { watch, calls, feed } = setUp(off, [
      { patientId: 'p1', rule: TREND_RULE, priority: 'low' },
    ]);
    feed(0, 1, () => usual);
    expect(calls[0]).toBe(`clear ${TREND_RULE}`);
    expect(watch.viewOf('p1', { enabled: false }).status).toBe('off');
  });

  it('takes up a trend alert left open before a restart, and clears it once she is back to her usual', () => {
    const { calls, feed } = setUp(watching, [
      { patientId: 'p1', rule: TREND_RULE, priority: 'low' },
    ]);
    feed(0, 150, () => usual);
    expect(calls).toEqual([`clear ${TREND_RULE}`]);
  });

  it('keeps what her baseline learned when only the scoring changes', () => {
    const profile = { ...watching };
    const { watch, feed } = setUp(profile);
    feed(0, 150, () => usual);
    profile.trend = trendSettingsWith({ level: 7 });
    feed(150, 1, () => usual);
    expect(watch.viewOf('p1', {}, start + 151 * MINUTE)).toMatchObject({
      status: 'watching',
      level: 7,
    });
  });
});
