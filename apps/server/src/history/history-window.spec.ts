// Proves the history query string is read with sensible defaults, clear refusals and bounds.
import { parseInstant } from '@vigil/contracts';
import { parseDuration, parseHistoryWindow } from './history-window';

const now = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('parseHistoryWindow', () => {
  it('defaults to the last hour in one-minute buckets', () => {
    expect(parseHistoryWindow({}, now)).toEqual({
      from: now - 3_600_000,
      to: now,
      everyMs: 60_000,
    });
  });

  it('reads ISO-8601 and epoch instants and duration units', () => {
    expect(
      parseHistoryWindow({ from: '2026-11-28T06:00:00Z', to: String(now), every: '5m' }, now),
    ).toEqual({
      from: now - 6 * 3_600_000,
      to: now,
      everyMs: 300_000,
    });
    expect(['250ms', '30s', '1h', '1d', '1500'].map(parseDuration)).toEqual([
      250, 30_000, 3_600_000, 86_400_000, 1_500,
    ]);
  });

  it('lists every problem', () => {
    const result = parseHistoryWindow({ from: 'yesterday', every: '1w' }, now);
    expect(result).toEqual({
      problems: [expect.stringMatching(/^from/), expect.stringMatching(/^every/)],
    });
    expect(parseHistoryWindow({ from: String(now), to: String(now - 1) }, now)).toEqual({
      problems: ['from must be before to'],
    });
    expect(parseHistoryWindow({ from: String(now - 86_400_000), every: '1s' }, now)).toEqual({
      problems: [expect.stringMatching(/buckets/)],
    });
  });

  it('bounds the window, the bucket width and every instant instead of failing further in', () => {
    expect(parseHistoryWindow({ from: '0', every: '3d' }, now)).toEqual({
      problems: ['the window may be at most 7 days long'],
    });
    expect(parseHistoryWindow({ every: '9'.repeat(400) }, now)).toEqual({
      problems: [expect.stringMatching(/^every/)],
    });
    expect(parseHistoryWindow({ every: '8d' }, now)).toEqual({
      problems: [expect.stringMatching(/^every/)],
    });
    for (const to of ['1e17', '100000000000000000', '2026-11-28T12:00:00+99:99x'])
      expect(parseHistoryWindow({ to }, now)).toEqual({
        problems: [expect.stringMatching(/^to must be ISO-8601/)],
      });
    expect(parseInstant('253402300799999')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
    expect(parseInstant('253402300800000')).toBeUndefined();
  });
});
