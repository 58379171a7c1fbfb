import { nextObservationDue, observationIntervalMs } from './observation-schedule';

const hours = (n: number) => n * 3_600_000;

describe('the NEWS2 monitoring frequency (RCP 2017, chart 3)', () => {
  it('asks 12-hourly at 0, 4-hourly at 1-4, hourly for a 3 in one parameter or 5-6, every 30 min at 7+', () => {
    expect(observationIntervalMs({ total: 0, risk: 'low' })).toBe(hours(12));
    expect(observationIntervalMs({ total: 4, risk: 'low' })).toBe(hours(4));
    expect(observationIntervalMs({ total: 3, risk: 'low-medium' })).toBe(hours(1));
    expect(observationIntervalMs({ total: 6, risk: 'medium' })).toBe(hours(1));
    expect(observationIntervalMs({ total: 9, risk: 'high' })).toBe(hours(0.5));
  });

  it('dates the next set from the last, or the first an hour after admission', () => {
    expect(nextObservationDue(undefined, 1_000, { total: 0, risk: 'low' })).toBe(1_000 + hours(1));
    expect(nextObservationDue(5_000, 1_000, { total: 2, risk: 'low' })).toBe(5_000 + hours(4));
  });
});
