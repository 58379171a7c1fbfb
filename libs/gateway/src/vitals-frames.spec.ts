import type { VitalsEvent } from '@vigil/contracts';
import { VitalsFrames } from './vitals-frames';

const event = (patientId: string, heartRate: number): VitalsEvent => ({
  patientId,
  deviceId: `d-${patientId}`,
  ts: '2026-12-02T09:00:00.000Z',
  vitals: { heartRate },
  news2: { total: 0, risk: 'low', complete: false },
});

describe('VitalsFrames', () => {
  it('gives one frame per ward with the latest event of each patient, then starts afresh', () => {
    const frames = new VitalsFrames();
    frames.add('4B', event('p1', 70));
    frames.add('4B', event('p2', 80));
    frames.add('4B', event('p1', 72));
    frames.add('5A', event('p3', 90));
    frames.add(undefined, event('p4', 60));
    expect(frames.take()).toEqual([
      { ward: '4B', events: [event('p1', 72), event('p2', 80)] },
      { ward: '5A', events: [event('p3', 90)] },
      { events: [event('p4', 60)] },
    ]);
    expect(frames.take()).toEqual([]);
  });
});
