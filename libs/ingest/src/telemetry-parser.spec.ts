// Proves device payloads are validated against the contract and refused with a precise reason.
import { parseTelemetry } from './telemetry-parser';

const now = Date.UTC(2026, 10, 28, 8, 0, 0);
const parse = (body: unknown) =>
  parseTelemetry(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), now);

describe('parseTelemetry', () => {
  it('normalises a single sample with an ISO timestamp to epoch milliseconds', () => {
    const result = parse({
      ts: '2026-11-28T07:59:59.500Z',
      seq: 4,
      vitals: { heartRate: 88, spo2: 97, consciousness: 'A', onOxygen: false, battery: 81 },
    });
    expect(result).toEqual({
      ok: true,
      samples: [
        {
          ts: now - 500,
          seq: 4,
          vitals: { heartRate: 88, spo2: 97 },
          consciousness: 'A',
          onOxygen: false,
          battery: 81,
        },
      ],
    });
  });

  it('accepts a batch with epoch-millisecond timestamps', () => {
    const result = parse({
      samples: [
        { ts: now - 2000, seq: 1, vitals: { respRate: 12 } },
        { ts: now - 1000, seq: 2, vitals: { respRate: 13 } },
      ],
    });
    expect(result.ok && result.samples.map((s) => s.seq)).toEqual([1, 2]);
  });

  it.each([
    ['not JSON', '{nope', 'TELEMETRY.MALFORMED_JSON'],
    ['a JSON array', [1, 2], 'TELEMETRY.SCHEMA_INVALID'],
    ['a missing seq', { ts: now, vitals: { heartRate: 80 } }, 'TELEMETRY.SCHEMA_INVALID'],
    [
      'a string heart rate',
      { ts: now, seq: 1, vitals: { heartRate: '80' } },
      'TELEMETRY.SCHEMA_INVALID',
    ],
    [
      'a heart rate of 400/min',
      { ts: now, seq: 1, vitals: { heartRate: 400 } },
      'TELEMETRY.OUT_OF_RANGE',
    ],
    [
      'a temperature in Fahrenheit',
      { ts: now, seq: 1, vitals: { temperature: 98.6 } },
      'TELEMETRY.OUT_OF_RANGE',
    ],
    [
      'an unknown consciousness level',
      { ts: now, seq: 1, vitals: { consciousness: 'X' } },
      'TELEMETRY.SCHEMA_INVALID',
    ],
    [
      'a sample with no vital sign',
      { ts: now, seq: 1, vitals: { battery: 50 } },
      'TELEMETRY.SCHEMA_INVALID',
    ],
    [
      'a date without a time zone',
      { ts: '2026-11-28 08:00', seq: 1, vitals: { spo2: 97 } },
      'TELEMETRY.SCHEMA_INVALID',
    ],
    [
      'a sample from 10 minutes ahead',
      { ts: now + 600_000, seq: 1, vitals: { spo2: 97 } },
      'TELEMETRY.TIMESTAMP_INVALID',
    ],
    [
      'a sample 8 days old',
      { ts: now - 8 * 86_400_000, seq: 1, vitals: { spo2: 97 } },
      'TELEMETRY.TIMESTAMP_INVALID',
    ],
    ['an empty batch', { samples: [] }, 'TELEMETRY.SCHEMA_INVALID'],
  ])('refuses %s', (_case, body, code) => {
    const result = parse(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.rejection.code).toBe(code);
  });

  it('names the field and the sample of a refused batch', () => {
    const result = parse({
      samples: [
        { ts: now, seq: 7, vitals: { spo2: 97 } },
        { ts: now, seq: 8, vitals: { spo2: 12 } },
      ],
    });
    expect(result).toEqual({
      ok: false,
      rejection: {
        code: 'TELEMETRY.OUT_OF_RANGE',
        detail: ['samples.1.vitals.spo2 must not be less than 30'],
        seq: 7,
      },
    });
  });

  it('refuses a batch larger than 500 samples', () => {
    const samples = Array.from({ length: 501 }, (_, i) => ({
      ts: now - i,
      seq: i,
      vitals: { spo2: 97 },
    }));
    const result = parse({ samples });
    expect(!result.ok && result.rejection.detail.join()).toMatch(
      /samples must contain no more than 500/,
    );
  });

  it('gives, on 10,000 random messages, the same answer with the compiled check as class-validator alone', () => {
    let state = 42;
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const now = Date.parse('2026-11-28T10:00:00Z');
    const oddValues = [null, undefined, 'x', '72', true, [], {}, NaN, -1, 0, 1e9, 72.5, -0];
    const value = (min: number, max: number) =>
      random() < 0.97 ? min + random() * (max - min) : pick(oddValues);
    const vitals = () => {
      const out: Record<string, unknown> = {};
      for (const [name, range] of [
        ['heartRate', [20, 300]],
        ['respRate', [0, 80]],
        ['spo2', [30, 100]],
        ['temperature', [25, 45]],
        ['systolicBp', [30, 300]],
        ['diastolicBp', [10, 200]],
        ['battery', [0, 100]],
      ] as const) {
        if (random() < 0.5) out[name] = value(range[0] - 1, range[1] + 1);
      }
      if (random() < 0.3) out.consciousness = pick(['A', 'C', 'V', 'P', 'U', 'X', 1, null]);
      if (random() < 0.3) out.onOxygen = pick([true, false, 'yes', 0, null]);
      if (random() < 0.05) out[pick(['pulse', '__proto__', 'constructor'])] = 1;
      return random() < 0.03 ? pick(oddValues) : out;
    };
    const sample = () => {
      const out: Record<string, unknown> = {
        ts:
          random() < 0.7
            ? now - Math.floor(random() * 60_000)
            : pick([now + 3_600_000, '2026-11-28T09:59:00Z', 0, -5, 1.5, 'soon', null]),
        seq: random() < 0.8 ? Math.floor(random() * 1000) : pick([-1, 2.5, '3', null, undefined]),
        vitals: vitals(),
      };
      if (random() < 0.05) out.extra = 1;
      if (random() < 0.05) delete out[pick(['ts', 'seq', 'vitals'])];
      return out;
    };
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      const body =
        random() < 0.7
          ? sample()
          : random() < 0.9
            ? { samples: Array.from({ length: Math.floor(random() * 4) }, sample) }
            : pick([[], 'text', 7, null, { samples: 'no' }, { samples: [sample()], extra: 1 }]);
      const payload = Buffer.from(JSON.stringify(body) ?? 'undefined');
      const fast = parseTelemetry(payload, now);
      const slow = parseTelemetry(payload, now, { fastPath: false });
      expect([i, fast]).toEqual([i, slow]);
      if (slow.ok) accepted++;
    }
    // Both halves of the space were explored.
    expect(accepted).toBeGreaterThan(1_500);
    expect(accepted).toBeLessThan(9_000);
  });
});
