import type { Sample } from '@vigil/contracts';
import { median } from '@vigil/rules';
import { deviceMedians, dueIntervals, firstMark } from './interval-charting';

const sample = (deviceId: string, ts: number, heartRate: number, spo2?: number): Sample => ({
  patientId: 'p',
  deviceId,
  ts,
  seq: ts,
  vitals: { heartRate, ...(spo2 !== undefined && { spo2 }) },
});

describe('charting intervals', () => {
  it('takes medians that one artifact cannot move, per device', () => {
    expect(median([70, 72, 190])).toBe(72);
    expect(median([70, 71, 72, 75])).toBe(71.5);
    expect(
      deviceMedians([
        sample('a', 1, 70, 97),
        sample('b', 2, 90),
        sample('a', 3, 74),
        sample('a', 4, 200),
      ]),
    ).toEqual([
      { deviceId: 'a', medians: { heartRate: 74, spo2: 97 } },
      { deviceId: 'b', medians: { heartRate: 90 } },
    ]);
  });

  it('makes intervals due on the minute, after the grace, a bounded number at once', () => {
    const minute = 60_000;
    expect(firstMark(10 * minute + 5_000, minute)).toBe(10 * minute);
    expect(dueIntervals(10 * minute, 11 * minute + 9_000, minute, 10_000, 60)).toEqual([]);
    expect(dueIntervals(10 * minute, 11 * minute + 10_000, minute, 10_000, 60)).toEqual([
      { start: 10 * minute, end: 11 * minute },
    ]);
    // Out of step after a move to a ward charting every 5 minutes: the first interval realigns.
    expect(dueIntervals(12 * minute, 30 * minute, 5 * minute, 0, 2)).toEqual([
      { start: 12 * minute, end: 15 * minute },
      { start: 15 * minute, end: 20 * minute },
    ]);
  });
});
