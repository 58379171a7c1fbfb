// Proves the alert lifecycle: one alert per condition, latching, acknowledgement by a named user,
// escalation and reminders on time, and restore after a restart. Time is an argument.
import { AlertBook, type BreachReport } from './alert-book';

const T0 = Date.UTC(2026, 10, 28, 8, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const policy = { escalateAfterMs: 120_000, remindEveryMs: 60_000 };

function book() {
  let next = 0;
  return new AlertBook(() => `a${++next}`, policy);
}

const spo2 = (value: number, overrides: Partial<BreachReport> = {}): BreachReport => ({
  patientId: 'p1',
  deviceId: 'd1',
  category: 'physiological',
  condition: 'spo2.below',
  vital: 'spo2',
  value,
  threshold: value < 92 ? 92 : 94,
  priority: value < 92 ? 'high' : 'medium',
  worse: 'below',
  ts: T0 - 500,
  ...overrides,
});

describe('AlertBook', () => {
  it('raises an alert carrying what a nurse needs', () => {
    const [event] = book().breach(spo2(88), at(0));
    expect(event).toEqual({
      kind: 'raised',
      at: at(0).toISOString(),
      alert: expect.objectContaining({
        id: 'a1',
        patientId: 'p1',
        deviceId: 'd1',
        category: 'physiological',
        rule: 'spo2.below',
        vital: 'spo2',
        value: 88,
        threshold: 92,
        priority: 'high',
        state: 'active',
        raisedAt: at(0).toISOString(),
        ts: new Date(T0 - 500).toISOString(),
        escalationLevel: 0,
      }),
    });
  });

  it('knows per patient whether a physiological condition still holds, for the trend baseline', () => {
    const alerts = book();
    alerts.breach(spo2(94, { category: 'technical', condition: 'device.battery-low' }), at(0));
    expect(alerts.physiologicalAlarmHolds('p1')).toBe(false);
    alerts.breach(spo2(88), at(1));
    expect(alerts.physiologicalAlarmHolds('p1')).toBe(true);
    expect(alerts.physiologicalAlarmHolds('p2')).toBe(false);
    // Latched: the condition is gone though the alert waits for a nurse.
    alerts.clear('p1', 'spo2.below', at(2));
    expect(alerts.physiologicalAlarmHolds('p1')).toBe(false);
    alerts.breach(spo2(87), at(3));
    expect(alerts.physiologicalAlarmHolds('p1')).toBe(true);
  });

  it('folds repeats into one alert with worst value, last value and count', () => {
    const alerts = book();
    alerts.breach(spo2(88), at(0));
    expect(alerts.breach(spo2(85), at(1))).toEqual([]);
    expect(alerts.breach(spo2(87), at(2))).toEqual([]);
    expect(alerts.openAlerts()).toEqual([
      expect.objectContaining({ id: 'a1', count: 3, lastValue: 87, worstValue: 85 }),
    ]);
  });

  it('upgrades the priority when the same condition worsens', () => {
    const alerts = book();
    alerts.breach(spo2(93), at(0));
    const [event] = alerts.breach(spo2(89), at(5));
    expect(event).toMatchObject({
      kind: 'updated',
      alert: { id: 'a1', priority: 'high', threshold: 92, value: 89 },
    });
  });

  it('latches a high-priority alert that clears before anyone acknowledged it', () => {
    const alerts = book();
    alerts.breach(spo2(88), at(0));
    const [latched] = alerts.clear('p1', 'spo2.below', at(30));
    expect(latched).toMatchObject({
      kind: 'latched',
      alert: { state: 'latched', clearedAt: at(30).toISOString() },
    });
    const [ack] = (alerts.acknowledge('a1', 'Nurse Ana', at(40)) as { events: unknown[] }).events;
    expect(ack).toMatchObject({
      kind: 'acknowledged',
      by: 'Nurse Ana',
      alert: { state: 'resolved', acknowledgedBy: 'Nurse Ana' },
    });
    expect(alerts.openAlerts()).toEqual([]);
  });

  it('resolves a medium alert when it clears, and an acknowledged one too', () => {
    const alerts = book();
    alerts.breach(spo2(93), at(0));
    expect(alerts.clear('p1', 'spo2.below', at(10))[0]).toMatchObject({
      kind: 'resolved',
      alert: { state: 'resolved' },
    });
    alerts.breach(spo2(88), at(20));
    expect(alerts.acknowledge('a2', 'Nurse Ben', at(21))).toMatchObject({
      ok: true,
      events: [{ alert: { state: 'acknowledged' } }],
    });
    expect(alerts.clear('p1', 'spo2.below', at(30))[0]).toMatchObject({
      kind: 'resolved',
      alert: { acknowledgedBy: 'Nurse Ben' },
    });
  });

  it('re-activates a latched alert whose condition returns, as the same alert', () => {
    const alerts = book();
    alerts.breach(spo2(88), at(0));
    alerts.clear('p1', 'spo2.below', at(30));
    const [event] = alerts.breach(spo2(89), at(40));
    expect(event).toMatchObject({
      kind: 'updated',
      alert: { id: 'a1', state: 'active', count: 2 },
    });
    expect(event.alert.clearedAt).toBeUndefined();
  });

  it('answers an acknowledgement of an unknown or finished alert without changing anything', () => {
    const alerts = book();
    expect(alerts.acknowledge('nope', 'Nurse Ana', at(0))).toEqual({
      ok: false,
      reason: 'not-found',
    });
    alerts.breach(spo2(88), at(0));
    alerts.acknowledge('a1', 'Nurse Ana', at(1));
    expect(alerts.acknowledge('a1', 'Nurse Ben', at(2))).toEqual({ ok: true, events: [] });
  });

  it('escalates an unacknowledged high-priority alert on time, then reminds until acknowledged', () => {
    const alerts = book();
    alerts.breach(spo2(88), at(0));
    expect(alerts.tick(at(119))).toEqual([]);
    expect(alerts.tick(at(120))).toEqual([
      expect.objectContaining({
        kind: 'escalated',
        alert: expect.objectContaining({ escalationLevel: 1 }),
      }),
    ]);
    expect(alerts.tick(at(150))).toEqual([]);
    expect(alerts.tick(at(180))).toEqual([expect.objectContaining({ kind: 'reminded' })]);
    expect(alerts.tick(at(240))).toEqual([expect.objectContaining({ kind: 'reminded' })]);
    alerts.acknowledge('a1', 'Nurse Ana', at(250));
    expect(alerts.tick(at(400))).toEqual([]);
  });

  it('does not escalate medium or low alerts', () => {
    const alerts = book();
    alerts.breach(spo2(93), at(0));
    expect(alerts.tick(at(3600))).toEqual([]);
  });

  it('keeps patients and conditions apart', () => {
    const alerts = book();
    alerts.breach(spo2(88), at(0));
    expect(alerts.breach(spo2(88, { patientId: 'p2' }), at(0))).toHaveLength(1);
    expect(alerts.breach(spo2(88, { condition: 'spo2.other' }), at(0))).toHaveLength(1);
  });

  it('restores open alerts after a restart and does not raise them again', () => {
    const first = book();
    first.breach(spo2(88), at(0));
    const second = book();
    second.restore(JSON.parse(JSON.stringify(first.openAlerts())));
    expect(second.breach(spo2(87), at(5))).toEqual([]);
    expect(second.tick(at(120))[0]).toMatchObject({ kind: 'escalated', alert: { id: 'a1' } });
  });
});

describe('AlertBook.markDataStale', () => {
  it("marks a device's open physiological alerts as based on stale data, once, and unmarks them", () => {
    const book = new AlertBook(() => 'a1', { escalateAfterMs: 60_000, remindEveryMs: 60_000 });
    const now = new Date('2026-12-02T10:00:00Z');
    book.breach(
      {
        patientId: 'p1',
        deviceId: 'd1',
        category: 'physiological',
        condition: 'spo2.below',
        vital: 'spo2',
        value: 85,
        threshold: 92,
        priority: 'high',
        worse: 'below',
        ts: now.getTime(),
      },
      now,
    );
    const marked = book.markDataStale('p1', 'd1', true, now);
    expect(marked.map((e) => [e.kind, e.alert.dataStale])).toEqual([['updated', true]]);
    expect(book.markDataStale('p1', 'd1', true, now)).toEqual([]);
    expect(book.markDataStale('p1', 'd2', false, now)).toEqual([]);
    const unmarked = book.markDataStale('p1', 'd1', false, now);
    expect(unmarked.map((e) => [e.kind, e.alert.dataStale])).toEqual([['updated', undefined]]);
  });

  it("keeps a ward's own alarm apart from its patients', restates it when its words change, and clears it by ward", () => {
    const alerts = book();
    const wardAlarm = (patients: number): BreachReport => ({
      patientId: '',
      ward: '4B',
      deviceId: '',
      category: 'technical',
      condition: 'ward.connection-lost',
      vital: null,
      value: patients,
      threshold: 5,
      priority: 'medium',
      worse: 'above',
      ts: T0,
      message: `${patients} patients`,
    });
    const [raised] = alerts.breach(wardAlarm(6), at(0));
    expect(raised.alert).toMatchObject({ ward: '4B', patientId: '', value: 6 });
    expect(alerts.breach(wardAlarm(6), at(1))).toEqual([]);
    const [restated] = alerts.breach(wardAlarm(9), at(2));
    expect(restated).toMatchObject({
      kind: 'updated',
      alert: { message: '9 patients', worstValue: 9 },
    });
    expect(alerts.clear('', 'ward.connection-lost', at(3))).toEqual([]);
    const [cleared] = alerts.clear('', 'ward.connection-lost', at(3), '4B');
    expect(cleared).toMatchObject({ kind: 'resolved', alert: { id: raised.alert.id } });
  });

  it('escalates an alert at once when asked, whatever its priority, and reminds when already escalated', () => {
    const alerts = book();
    const [raised] = alerts.breach(spo2(93), at(0));
    expect(raised.alert.priority).toBe('medium');
    const first = alerts.escalate(raised.alert.id, at(5));
    expect(first).toMatchObject({
      ok: true,
      events: [
        { kind: 'escalated', alert: { escalationLevel: 1, escalatedAt: at(5).toISOString() } },
      ],
    });
    expect(alerts.escalate(raised.alert.id, at(6))).toMatchObject({
      ok: true,
      events: [{ kind: 'reminded', alert: { remindedAt: at(6).toISOString() } }],
    });
    expect(alerts.escalate('no-such-alert', at(7))).toEqual({ ok: false, reason: 'not-found' });
  });
});
