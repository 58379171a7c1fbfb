// Proves the console's live feed: the first sample at once, at most one event per patient and
// interval, the latest values merged into a whole tile, and nothing held back for good.
import type { VitalsEvent } from '@vigil/contracts';
import type { EvaluatedSample } from '@vigil/ingest';
import { Subject } from 'rxjs';
import { liveVitals } from './live-vitals';

describe('liveVitals', () => {
  let clock = 0;
  let samples: Subject<EvaluatedSample>;
  let events: VitalsEvent[];
  let stop: () => void;
  const news2 = { total: 0, risk: 'low' as const, complete: false };
  const sample = (patientId: string, vitals: EvaluatedSample['vitals'], extra = {}) =>
    samples.next({
      patientId,
      deviceId: `d-${patientId}`,
      ts: clock,
      seq: clock,
      vitals,
      news2,
      ...extra,
    });
  const advance = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    jest.useFakeTimers();
    clock = Date.UTC(2026, 10, 28);
    samples = new Subject();
    events = [];
    const subscription = liveVitals(samples, 250, () => clock).subscribe((e) => events.push(e));
    stop = () => subscription.unsubscribe();
  });
  afterEach(() => {
    stop();
    jest.useRealTimers();
  });

  it('sends a patient’s first sample at once', () => {
    sample('p1', { heartRate: 80 });
    expect(events).toEqual([
      expect.objectContaining({
        patientId: 'p1',
        vitals: { heartRate: 80 },
        ts: new Date(clock).toISOString(),
      }),
    ]);
  });

  it('sends at most one event per patient and interval, then the latest, merged with what came before', () => {
    sample('p1', { heartRate: 80 }, { battery: 90 });
    advance(50);
    sample('p1', { spo2: 97 });
    advance(50);
    sample('p1', { heartRate: 84 });
    expect(events).toHaveLength(1);
    advance(500);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ vitals: { heartRate: 84, spo2: 97 }, battery: 90 });
    advance(1_000);
    expect(events).toHaveLength(2);
  });

  it('keeps patients apart', () => {
    sample('p1', { heartRate: 80 });
    sample('p2', { heartRate: 120 });
    sample('p2', { heartRate: 121 });
    expect(events.map((e) => [e.patientId, e.vitals.heartRate])).toEqual([
      ['p1', 80],
      ['p2', 120],
    ]);
    advance(600);
    expect(events.map((e) => [e.patientId, e.vitals.heartRate])).toEqual([
      ['p1', 80],
      ['p2', 120],
      ['p2', 121],
    ]);
  });

  it('sends at once again once an interval has passed since the last event', () => {
    sample('p1', { heartRate: 80 });
    advance(300);
    sample('p1', { heartRate: 81 });
    expect(events.map((e) => e.vitals.heartRate)).toEqual([80, 81]);
  });

  it('does not let a later event show an earlier one’s values changing under it', () => {
    sample('p1', { heartRate: 80 });
    advance(300);
    sample('p1', { heartRate: 81 });
    expect(events[0].vitals.heartRate).toBe(80);
  });

  it('makes no event for a patient nobody watches, and a whole tile once someone does', () => {
    const watching = new Set<string>();
    const watchedEvents: VitalsEvent[] = [];
    const subscription = liveVitals(
      samples,
      250,
      () => clock,
      (patientId) => watching.has(patientId),
    ).subscribe((e) => watchedEvents.push(e));
    sample('p1', { heartRate: 80 }, { battery: 90 });
    advance(500);
    sample('p1', { spo2: 97 }, { news2: { total: 3, risk: 'low-medium', complete: false } });
    advance(500);
    expect(watchedEvents).toEqual([]);
    watching.add('p1');
    sample('p1', { heartRate: 84 });
    subscription.unsubscribe();
    expect(watchedEvents).toEqual([
      expect.objectContaining({
        patientId: 'p1',
        vitals: { heartRate: 84, spo2: 97 },
        battery: 90,
        news2: news2,
      }),
    ]);
  });
});
