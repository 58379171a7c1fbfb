import { BaselineTracker, DEFAULT_BASELINE_PARAMETERS } from './trend-baseline';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const admitted = Date.parse('2026-12-02T08:00:00Z');

/** 1 Hz samples from `from` for `ms`, their value given by time. */
function feed(
  tracker: BaselineTracker,
  from: number,
  ms: number,
  value: (ts: number) => number,
  excluded: (ts: number) => boolean = () => false,
): void {
  for (let ts = from; ts < from + ms; ts += 1000) tracker.add(ts, value(ts), excluded(ts));
}

describe("a patient's own baseline", () => {
  it('is learned from her first two hours, and not before', () => {
    const tracker = new BaselineTracker('heartRate');
    feed(tracker, admitted, 2 * HOUR - 5 * MINUTE, (ts) => 62 + ((ts / 1000) % 3) - 1);
    expect(tracker.baselineAt(admitted + 2 * HOUR - 5 * MINUTE)).toBeUndefined();
    feed(tracker, admitted + 2 * HOUR - 5 * MINUTE, 5 * MINUTE, () => 62);
    expect(tracker.baselineAt(admitted + 2 * HOUR)).toEqual({
      median: 62,
      spread: DEFAULT_BASELINE_PARAMETERS.minSpread.heartRate,
      buckets: 24,
      from: admitted,
      to: admitted + 2 * HOUR,
    });
  });

  it('is not moved by artifacts, nor taught by buckets marked unfit', () => {
    const tracker = new BaselineTracker('heartRate');
    // A motion artifact every 37 s, and an hour with an open alarm at 130/min.
    feed(
      tracker,
      admitted,
      3 * HOUR,
      (ts) =>
        Math.floor(ts / 1000) % 37 === 0
          ? 190
          : ts < admitted + HOUR
            ? 70
            : ts < admitted + 2 * HOUR
              ? 130
              : 70,
      (ts) => ts >= admitted + HOUR && ts < admitted + 2 * HOUR,
    );
    const baseline = tracker.baselineAt(admitted + 3 * HOUR);
    expect(baseline?.median).toBe(70);
    expect(baseline?.buckets).toBe(24);
  });

  it('compares her with herself before a slow change, not with the change itself', () => {
    const tracker = new BaselineTracker('respRate');
    // Ten hours at 12/min, then two hours climbing to 19/min.
    feed(tracker, admitted, 10 * HOUR, () => 12);
    feed(
      tracker,
      admitted + 10 * HOUR,
      2 * HOUR,
      (ts) => 12 + (7 * (ts - admitted - 10 * HOUR)) / (2 * HOUR),
    );
    const baseline = tracker.baselineAt(admitted + 12 * HOUR);
    expect(baseline).toMatchObject({
      median: 12,
      from: admitted,
      to: admitted + 10 * HOUR,
    });
  });

  it('computes the baseline once per bucket of time, not per sample', () => {
    const tracker = new BaselineTracker('heartRate');
    feed(tracker, admitted, 3 * HOUR, () => 70);
    const first = tracker.baselineAt(admitted + 3 * HOUR);
    expect(tracker.baselineAt(admitted + 3 * HOUR + 1000)).toBe(first);
    expect(tracker.baselineAt(admitted + 3 * HOUR + 5 * MINUTE)).not.toBe(first);
  });

  it('keeps bounded memory over days: the window, its lag and the first hours', () => {
    const tracker = new BaselineTracker('spo2');
    feed(tracker, admitted, 48 * HOUR, (ts) => (ts < admitted + 46 * HOUR ? 96 : 93));
    const baseline = tracker.baselineAt(admitted + 48 * HOUR);
    expect(baseline).toMatchObject({
      median: 96,
      buckets: 288,
      from: admitted + 22 * HOUR,
    });
    // A ring of the window and its lag, whatever the days: (24 h + 2 h) / 5 min, and one.
    const ring = (tracker as unknown as { ring: { index: Int32Array } }).ring;
    expect(ring.index.length).toBe(313);
  });
});
