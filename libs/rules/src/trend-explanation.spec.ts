import { explainTrend } from './trend-explanation';

describe('the explanation of a trend alert', () => {
  it('names what counts, most deviant first, against her usual and since when', () => {
    const at = Date.parse('2026-12-02T14:00:00Z');
    const text = explainTrend(
      [
        { vital: 'heartRate', baseline: 62, now: 88.4, deviation: 3, since: at - 48 * 60_000 },
        { vital: 'spo2', baseline: 97, now: 96.8, deviation: 0, since: undefined },
        {
          vital: 'temperature',
          baseline: 36.8,
          now: 37.32,
          deviation: 1.1,
          since: at - 30 * 60_000,
        },
        { vital: 'respRate', baseline: 12, now: 19, deviation: 2.5, since: at - 40 * 60_000 },
      ],
      at,
    );
    expect(text).toBe(
      'Deteriorating against her own baseline: heart rate 88/min (her usual 62, +26) for 48 min; ' +
        'respiratory rate 19/min (her usual 12, +7) for 40 min; ' +
        'temperature 37.3 °C (her usual 36.8, +0.5) for 30 min. Review the patient; NEWS2 may still be low.',
    );
  });
});
