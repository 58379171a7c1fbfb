// Proves NEWS2 against the Royal College of Physicians' chart 1 (2017): both sides of every band
// boundary of every parameter, both SpO2 scales, the single-parameter-3 rule and partial scores.
import { roundForNews2, scoreNews2, type News2Inputs, type Spo2Scale } from './news2';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const HOUR = 3_600_000;
const at = <T>(value: T, ageMs = 0) => ({ value, ts: NOW - ageMs });
const NORMAL: News2Inputs = {
  respRate: at(16),
  spo2: at(97),
  onOxygen: at(false),
  systolicBp: at(120),
  heartRate: at(70),
  consciousness: at('A' as const),
  temperature: at(37),
};
const subscore = (overrides: News2Inputs, parameter: string, scale: Spo2Scale = 1) =>
  (scoreNews2({ ...NORMAL, ...overrides }, scale, NOW, HOUR).subscores as Record<string, number>)[
    parameter
  ];

describe('NEWS2 chart 1', () => {
  it.each([
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
  ])('scores a respiration rate of %p/min as %p', (value, expected) => {
    expect(subscore({ respRate: at(value) }, 'respRate')).toBe(expected);
  });

  it.each([
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
  ])('scores SpO2 %p%% on Scale 1 as %p', (value, expected) => {
    expect(subscore({ spo2: at(value) }, 'spo2', 1)).toBe(expected);
  });

  it.each([
    [83, false, 3],
    [84, false, 2],
    [85, false, 2],
    [86, false, 1],
    [87, false, 1],
    [88, false, 0],
    [92, false, 0],
    [93, false, 0],
    [99, false, 0],
    [93, true, 1],
    [94, true, 1],
    [95, true, 2],
    [96, true, 2],
    [97, true, 3],
  ])('scores SpO2 %p%% on Scale 2 (on oxygen: %p) as %p', (value, onOxygen, expected) => {
    expect(subscore({ spo2: at(value), onOxygen: at(onOxygen) }, 'spo2', 2)).toBe(expected);
  });

  it('scores supplemental oxygen 2 and air 0', () => {
    expect(subscore({ onOxygen: at(true) }, 'airOrOxygen')).toBe(2);
    expect(subscore({ onOxygen: at(false) }, 'airOrOxygen')).toBe(0);
  });

  it.each([
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
  ])('scores a systolic pressure of %p mmHg as %p', (value, expected) => {
    expect(subscore({ systolicBp: at(value) }, 'systolicBp')).toBe(expected);
  });

  it.each([
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
  ])('scores a pulse of %p/min as %p', (value, expected) => {
    expect(subscore({ heartRate: at(value) }, 'heartRate')).toBe(expected);
  });

  it.each([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as const)('scores consciousness %p as %p', (value, expected) => {
    expect(subscore({ consciousness: at(value) }, 'consciousness')).toBe(expected);
  });

  it.each([
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
  ])('scores a temperature of %p °C as %p', (value, expected) => {
    expect(subscore({ temperature: at(value) }, 'temperature')).toBe(expected);
  });
});

describe('NEWS2 aggregate and risk (chart 2)', () => {
  const score = (overrides: News2Inputs, scale: Spo2Scale = 1) =>
    scoreNews2({ ...NORMAL, ...overrides }, scale, NOW, HOUR);

  it('is 0 and low for normal adult vitals', () => {
    expect(score({})).toMatchObject({
      total: 0,
      risk: 'low',
      complete: true,
      missing: [],
      scale: 1,
    });
  });

  it('is low-medium when one parameter scores 3 and the total stays under 5', () => {
    expect(score({ respRate: at(26) })).toMatchObject({ total: 3, risk: 'low-medium' });
  });

  it('is low at 4 without a single 3', () => {
    expect(score({ respRate: at(22), heartRate: at(115) })).toMatchObject({
      total: 4,
      risk: 'low',
    });
  });

  it('is medium at 5 and 6, and high from 7', () => {
    expect(score({ respRate: at(22), heartRate: at(115), temperature: at(38.5) })).toMatchObject({
      total: 5,
      risk: 'medium',
    });
    expect(score({ respRate: at(22), heartRate: at(115), temperature: at(39.5) })).toMatchObject({
      total: 6,
      risk: 'medium',
    });
    expect(score({ respRate: at(26), heartRate: at(115), temperature: at(39.5) })).toMatchObject({
      total: 7,
      risk: 'high',
    });
  });

  it('gives a COPD patient on Scale 2 no SpO2 points at 89% on air', () => {
    expect(score({ spo2: at(89) }, 2)).toMatchObject({ total: 0, scale: 2 });
    expect(score({ spo2: at(89) }, 1).subscores.spo2).toBe(3);
  });

  it('names the parameters it could not score instead of scoring them 0', () => {
    const partial = scoreNews2({ respRate: at(16), heartRate: at(120) }, 1, NOW, HOUR);
    expect(partial).toMatchObject({ total: 2, complete: false });
    expect(partial.missing).toEqual([
      'spo2',
      'airOrOxygen',
      'systolicBp',
      'consciousness',
      'temperature',
    ]);
  });

  it('treats a value older than the freshness window as missing', () => {
    const stale = score({ systolicBp: at(85, HOUR + 1) });
    expect(stale.missing).toEqual(['systolicBp']);
    expect(stale.subscores.systolicBp).toBeUndefined();
  });

  it('cannot score Scale 2 at 93% or more without knowing air or oxygen', () => {
    const unknown = scoreNews2({ ...NORMAL, onOxygen: undefined, spo2: at(95) }, 2, NOW, HOUR);
    expect(unknown.missing).toEqual(['spo2', 'airOrOxygen']);
  });
});

describe('NEWS2 rounding rule', () => {
  it('rounds half up to whole numbers, and to tenths for temperature', () => {
    expect(roundForNews2('respRate', 8.5)).toBe(9);
    expect(roundForNews2('respRate', 8.49)).toBe(8);
    expect(roundForNews2('temperature', 35.04)).toBe(35.0);
    expect(roundForNews2('temperature', 35.05)).toBe(35.1);
    expect(
      scoreNews2({ ...NORMAL, temperature: at(35.04) }, 1, NOW, HOUR).subscores.temperature,
    ).toBe(3);
    expect(scoreNews2({ ...NORMAL, respRate: at(8.5) }, 1, NOW, HOUR).subscores.respRate).toBe(1);
  });
});

describe('NEWS2 freshness per input', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const hours = (n: number) => n * 3_600_000;

  it("counts a nurse's level of consciousness as long as it is stamped to, and a device value for the default", () => {
    const observed = (ago: number) =>
      scoreNews2(
        {
          consciousness: { value: 'C', ts: now - ago, observationId: 'o1', freshForMs: hours(12) },
          heartRate: { value: 70, ts: now - ago, deviceId: 'd1' },
        },
        1,
        now,
        hours(1),
      );
    expect(observed(hours(11)).subscores).toEqual({ consciousness: 3 });
    expect(observed(hours(13)).subscores).toEqual({});
    expect(observed(hours(0.5)).subscores).toEqual({ consciousness: 3, heartRate: 0 });
  });
});
