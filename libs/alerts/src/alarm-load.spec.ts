import type { AlarmLoadAlert, AlarmLoadRows } from '@vigil/storage';
import { alarmLoadReport } from './alarm-load';

const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
const alarm = (over: Partial<AlarmLoadAlert>): AlarmLoadAlert => ({
  rule: 'spo2.below',
  category: 'physiological',
  priority: 'high',
  patientId: 'p1',
  raisedAt: T0,
  acknowledgedAt: null,
  resolvedAt: null,
  resolvedReason: null,
  ...over,
});

describe('alarmLoadReport', () => {
  const rows: AlarmLoadRows = {
    alerts: [
      ...[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((seconds, index) =>
        alarm({
          patientId: index < 7 ? 'p1' : 'p2',
          acknowledgedAt: T0 + seconds * 1000,
          resolvedAt: T0 + 200_000,
        }),
      ),
      alarm({ rule: 'heartRate.above', priority: 'medium', resolvedAt: T0 + 30_000 }),
      alarm({ rule: 'heartRate.above', priority: 'medium', resolvedAt: T0 + 30_000 }),
      alarm({
        rule: 'device.no-data',
        category: 'technical',
        priority: 'medium',
        resolvedAt: T0,
        resolvedReason: 'discharged',
      }),
      alarm({
        rule: 'ward.connection-lost',
        category: 'technical',
        priority: 'medium',
        patientId: '',
      }),
    ],
    inactivations: [
      { kind: 'pause', patientId: 'p1', scope: 'all', from: T0, until: T0 + 120_000 },
      { kind: 'pause', patientId: 'p1', scope: 'spo2', from: T0, until: T0 + 60_000 },
      { kind: 'standby', patientId: 'p2', scope: null, from: T0, until: T0 + 5_400_000 },
    ],
    patientMs: 7 * 86_400_000,
    truncated: false,
  };
  const report = alarmLoadReport(rows, { ward: '4B', from: T0, to: T0 + 86_400_000 });

  it('counts alarms per rule and priority, most first', () => {
    expect(report.alarms).toBe(14);
    expect(report.patientDays).toBe(7);
    expect(report.alarmsPerPatientDay).toBe(2);
    expect(report.byPriority).toEqual({ high: 10, medium: 4, low: 0 });
    expect(report.byRule.map((rule) => [rule.rule, rule.alarms])).toEqual([
      ['spo2.below', 10],
      ['heartRate.above', 2],
      ['device.no-data', 1],
      ['ward.connection-lost', 1],
    ]);
    expect(report.byRule[0]).toMatchObject({
      high: 10,
      acknowledged: 10,
      medianSecondsToAcknowledge: 50,
    });
  });

  it('gives the time to acknowledge as median and 90th percentile', () => {
    expect(report.timeToAcknowledge).toEqual({
      acknowledged: 10,
      medianSeconds: 50,
      p90Seconds: 90,
    });
  });

  it('tells alarms that cleared on their own from those withdrawn by a change of stay', () => {
    expect(report.resolvedUnacknowledged).toEqual({ count: 2, share: 0.143 });
    expect(report.byRule[1].resolvedUnacknowledged).toBe(2);
    expect(report.withdrawn).toBe(1);
  });

  it('counts alarms per patient, the ward’s own under an empty id', () => {
    expect(report.byPatient).toEqual([
      { patientId: 'p1', alarms: 10 },
      { patientId: 'p2', alarms: 3 },
      { patientId: '', alarms: 1 },
    ]);
  });

  it('sums the pauses and standbys used', () => {
    expect(report.pauses).toEqual({ count: 2, minutes: 3, byScope: { all: 1, spo2: 1 } });
    expect(report.standbys).toEqual({ count: 1, hours: 1.5 });
  });

  it('answers an empty period with zeros and no percentiles', () => {
    const empty = alarmLoadReport(
      { alerts: [], inactivations: [], patientMs: 0, truncated: false },
      { ward: '4B', from: T0, to: T0 + 1 },
    );
    expect(empty).toMatchObject({
      alarms: 0,
      timeToAcknowledge: { acknowledged: 0 },
      resolvedUnacknowledged: { count: 0, share: 0 },
    });
    expect(empty.alarmsPerPatientDay).toBeUndefined();
  });
});
