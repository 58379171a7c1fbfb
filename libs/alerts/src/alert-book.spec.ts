// Proves one condition on one patient is one alert: raised once, upgraded, resolved on clear.
import type { Sample } from '@vigil/contracts';
import { DEFAULT_THRESHOLDS, evaluateSample } from '@vigil/rules';
import { AlertBook } from './alert-book';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 28, 8, 0, seconds));
const sample = (seq: number, vitals: Sample['vitals'], patientId = 'p1'): Sample => ({
  patientId,
  deviceId: `dev-${patientId}`,
  ts: at(seq).getTime() - 300,
  seq,
  vitals,
});

function bookWithIds() {
  let next = 0;
  return new AlertBook(() => `a${++next}`);
}

function feed(book: AlertBook, s: Sample, seconds = s.seq) {
  return book.apply(s, evaluateSample(s.vitals, DEFAULT_THRESHOLDS), at(seconds));
}

describe('AlertBook', () => {
  it('raises an alert carrying the breaching sample and rule', () => {
    const book = bookWithIds();
    const [event] = feed(book, sample(1, { spo2: 89 }));
    expect(event).toEqual({
      kind: 'raised',
      at: at(1).toISOString(),
      alert: expect.objectContaining({
        id: 'a1',
        patientId: 'p1',
        deviceId: 'dev-p1',
        rule: 'spo2.below',
        vital: 'spo2',
        value: 89,
        threshold: 92,
        priority: 'high',
        state: 'active',
        raisedAt: at(1).toISOString(),
        ts: new Date(at(1).getTime() - 300).toISOString(),
      }),
    });
  });

  it('does not raise a second alert for a repeat of the same condition', () => {
    const book = bookWithIds();
    feed(book, sample(1, { spo2: 89 }));
    expect(feed(book, sample(2, { spo2: 88 }))).toEqual([]);
    expect(book.activeAlerts()).toEqual([
      expect.objectContaining({ id: 'a1', count: 2, lastValue: 88 }),
    ]);
  });

  it('upgrades the priority when the same condition worsens', () => {
    const book = bookWithIds();
    feed(book, sample(1, { spo2: 93 }));
    const [event] = feed(book, sample(2, { spo2: 90 }));
    expect(event).toMatchObject({
      kind: 'updated',
      alert: { id: 'a1', priority: 'high', threshold: 92, value: 90 },
    });
  });

  it('resolves the alert when the vital is back in range, then raises anew', () => {
    const book = bookWithIds();
    feed(book, sample(1, { spo2: 89 }));
    const [resolved] = feed(book, sample(2, { spo2: 97 }));
    expect(resolved).toMatchObject({ kind: 'resolved', alert: { id: 'a1', state: 'resolved' } });
    expect(book.activeAlerts()).toEqual([]);
    expect(feed(book, sample(3, { spo2: 89 }))[0]).toMatchObject({
      kind: 'raised',
      alert: { id: 'a2' },
    });
  });

  it('keeps patients apart', () => {
    const book = bookWithIds();
    feed(book, sample(1, { spo2: 89 }, 'p1'));
    expect(feed(book, sample(1, { spo2: 89 }, 'p2'))).toHaveLength(1);
  });

  it('leaves an alert active while the sample does not measure its vital', () => {
    const book = bookWithIds();
    feed(book, sample(1, { spo2: 89 }));
    expect(feed(book, sample(2, { heartRate: 80 }))).toEqual([]);
    expect(book.activeAlerts()).toHaveLength(1);
  });

  it('restores active alerts after a restart and does not raise them again', () => {
    const first = bookWithIds();
    feed(first, sample(1, { spo2: 89 }));
    const second = bookWithIds();
    second.restore(first.activeAlerts());
    expect(feed(second, sample(2, { spo2: 89 }))).toEqual([]);
  });
});
