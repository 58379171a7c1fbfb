import { DEFAULT_TREND_SETTINGS } from './patient-trend';
import { trendOverrideProblems, trendSettingsView, trendSettingsWith } from './trend-settings';

describe("a patient's trend settings", () => {
  it('are the defaults where she has no override, hers where she has', () => {
    expect(trendSettingsWith({})).toEqual(DEFAULT_TREND_SETTINGS);
    const hers = trendSettingsWith({ level: 5, sustainSeconds: 900, windowSeconds: 12 * 3600 });
    expect(hers.score).toEqual({ ...DEFAULT_TREND_SETTINGS.score, level: 5, sustainMs: 900_000 });
    expect(hers.baseline.windowMs).toBe(12 * 3_600_000);
    expect(trendSettingsView(hers)).toMatchObject({ level: 5, sustainSeconds: 900 });
  });

  it('refuse combinations that make no sense or would keep too much', () => {
    expect(trendOverrideProblems({})).toEqual([]);
    expect(trendOverrideProblems({ bucketSeconds: 5 })).toEqual([
      expect.stringContaining('buckets'),
    ]);
    expect(trendOverrideProblems({ level: 2, clearLevel: 3 })).toEqual([
      expect.stringContaining('clearLevel < level'),
    ]);
    expect(trendOverrideProblems({ windowSeconds: 3600 })).toEqual([
      expect.stringContaining('learningBuckets'),
    ]);
  });
});
