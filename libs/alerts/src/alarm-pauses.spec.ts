import type { Alert } from '@vigil/contracts';
import { AlarmPauses, pauseCovers } from './alarm-pauses';

const alert = (over: Partial<Alert>): Alert =>
  ({
    patientId: 'p1',
    category: 'physiological',
    vital: 'spo2',
    rule: 'spo2.below',
    ...over,
  }) as Alert;
const pause = (scope: 'all' | 'physiological' | 'spo2', until: number) => ({
  patientId: 'p1',
  scope,
  reason: 'repositioning',
  by: 'nurse',
  from: new Date(0).toISOString(),
  until: new Date(until).toISOString(),
});

describe('alarm pauses', () => {
  it('silence by scope: all, physiological only, or one vital', () => {
    const technical = alert({ category: 'technical', vital: null, rule: 'device.offline' });
    const heart = alert({ vital: 'heartRate', rule: 'heartRate.above' });
    expect([alert({}), technical, heart].map((a) => pauseCovers({ scope: 'all' }, a))).toEqual([
      true,
      true,
      true,
    ]);
    expect([alert({}), technical].map((a) => pauseCovers({ scope: 'physiological' }, a))).toEqual([
      true,
      false,
    ]);
    expect([alert({}), heart].map((a) => pauseCovers({ scope: 'spo2' }, a))).toEqual([true, false]);
  });

  it('hold until their end, then are handed back once as expired', () => {
    const pauses = new AlarmPauses();
    pauses.set(pause('all', 10_000));
    expect(pauses.silences(alert({}), 9_999)).toBe(true);
    expect(pauses.expire(9_999)).toEqual([]);
    expect(pauses.silences(alert({}), 10_000)).toBe(false);
    expect(pauses.expire(10_000).map((p) => p.patientId)).toEqual(['p1']);
    expect(pauses.expire(10_001)).toEqual([]);
  });
});
