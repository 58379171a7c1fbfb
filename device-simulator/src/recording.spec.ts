// Proves recordings move to replay time consistently and that a CSV export becomes a recording.
import { importCsv, shiftPayload } from './recording';

describe('recordings', () => {
  it('shifts single samples and batches alike, scaled by the replay speed', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(shiftPayload({ ts: start + 60_000, seq: 3 }, start, now, 2)).toEqual({
      ts: now + 30_000,
      seq: 3,
    });
    expect(
      shiftPayload({ samples: [{ ts: start }, { ts: start + 10_000 }] }, start, now, 1),
    ).toEqual({ samples: [{ ts: now }, { ts: now + 10_000 }] });
    expect(shiftPayload({ state: 'online' }, start, now, 1)).toEqual({ state: 'online' });
  });

  it('imports a CSV with a column mapping, in time order, leaving empty cells out', () => {
    const csv = [
      'Time,HR,"SpO2 (%)",Note',
      '2026-03-01T08:00:05Z,81,,"moved, arm"',
      '2026-03-01T08:00:00Z,80,97,',
    ].join('\n');
    const recording = importCsv(csv, 'ts=Time,heartRate=HR,spo2=SpO2 (%)', {
      id: 'p-csv',
      name: 'Imported',
      ward: 'ward-1',
      deviceId: 'csv-1',
    });
    expect(recording.messages).toEqual([
      expect.objectContaining({
        at: 0,
        payload: expect.objectContaining({ vitals: { heartRate: 80, spo2: 97 } }),
      }),
      expect.objectContaining({
        at: 5_000,
        payload: expect.objectContaining({ vitals: { heartRate: 81 } }),
      }),
    ]);
    expect(() => importCsv(csv, 'heartRate=HR', recording.header.patients[0])).toThrow(/ts=/);
    expect(() => importCsv(csv, 'ts=Time,pulse=HR', recording.header.patients[0])).toThrow(/pulse/);
    expect(() => importCsv(csv, 'ts=When', recording.header.patients[0])).toThrow(
      /no column "When"/,
    );
  });
});
