// Proves the per-device memory of stored timestamps finds resends, forgets only the oldest, and
// keeps devices apart.
import { RecentSamples } from './recent-samples';

describe('RecentSamples', () => {
  it('knows a resent timestamp, old or new, until it is pushed out by newer ones', () => {
    const recent = new RecentSamples(4);
    for (const ts of [100, 200, 300]) recent.remember('d1', ts);
    expect([100, 200, 300].map((ts) => recent.has('d1', ts))).toEqual([true, true, true]);
    expect(recent.has('d1', 250)).toBe(false);
    expect(recent.has('d1', 400)).toBe(false);
    expect(recent.has('d2', 100)).toBe(false);
    // A late batch (older timestamps) is remembered too.
    recent.remember('d1', 50);
    expect(recent.has('d1', 50)).toBe(true);
    recent.remember('d1', 500);
    recent.remember('d1', 600);
    expect(recent.has('d1', 100)).toBe(false);
    expect(recent.has('d1', 200)).toBe(false);
    expect([300, 50, 500, 600].map((ts) => recent.has('d1', ts))).toEqual([true, true, true, true]);
  });
});
