// Proves the per-device memory of timestamps taken in finds resends, forgets only the oldest,
// keeps devices apart, and tells a stored sample from one whose write has not yet succeeded.
import { RecentSamples } from './recent-samples';

describe('RecentSamples', () => {
  it('knows a resent timestamp, old or new, until it is pushed out by newer ones', () => {
    const recent = new RecentSamples(4);
    for (const ts of [100, 200, 300]) recent.take('d1', ts);
    expect([100, 200, 300].map((ts) => recent.taken('d1', ts))).toEqual([true, true, true]);
    expect(recent.taken('d1', 250)).toBe(false);
    expect(recent.taken('d1', 400)).toBe(false);
    expect(recent.taken('d2', 100)).toBe(false);
    // A late batch (older timestamps) is remembered too.
    recent.take('d1', 50);
    expect(recent.taken('d1', 50)).toBe(true);
    recent.take('d1', 500);
    recent.take('d1', 600);
    expect(recent.taken('d1', 100)).toBe(false);
    expect(recent.taken('d1', 200)).toBe(false);
    expect([300, 50, 500, 600].map((ts) => recent.taken('d1', ts))).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('counts a sample stored only once marked so, wherever it sits in the ring', () => {
    const recent = new RecentSamples(4);
    for (const ts of [100, 200, 300, 400, 500]) recent.take('d1', ts);
    expect(recent.stored('d1', 500)).toBe(false);
    recent.markStored('d1', 500);
    recent.markStored('d1', 200);
    expect([200, 300, 400, 500].map((ts) => recent.stored('d1', ts))).toEqual([
      true,
      false,
      false,
      true,
    ]);
    // Pushed out, then taken in again: not stored until marked again.
    recent.take('d1', 600);
    recent.take('d1', 200);
    expect(recent.taken('d1', 200)).toBe(true);
    expect(recent.stored('d1', 200)).toBe(false);
    recent.markStored('d1', 100);
    expect(recent.stored('d1', 100)).toBe(false);
  });
});
