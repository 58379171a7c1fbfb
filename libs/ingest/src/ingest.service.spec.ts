// Proves ingest's promise to the broker: a sample whose write failed is not remembered as seen,
// so when the device resends it (it was not acknowledged) it is stored, not dropped as a repeat.
// The store, directory, evaluator and device watch are stand-ins: this checks ingest's own logic.
import { OwnsEveryPatient } from '@vigil/alerts';
import type { Sample } from '@vigil/contracts';
import type { TelemetryStore } from '@vigil/storage';
import type { ClinicalEvaluator } from './clinical-evaluator';
import type { DeviceDirectory } from './device-directory.port';
import type { DeviceWatchService } from './device-watch.service';
import { IngestService } from './ingest.service';

describe('IngestService with a failing store (stand-ins for store and rules)', () => {
  function setup() {
    const stored: Sample[] = [];
    let failNext = true;
    const store = {
      async writeSamples(samples: readonly Sample[]) {
        if (failNext) {
          failNext = false;
          throw new Error('spool full');
        }
        stored.push(...samples);
      },
    } as unknown as TelemetryStore;
    const directory = {
      bindingOf: () => ({ patientId: 'p1', ward: 'w1', current: true, from: 0 }),
      bindingAt: () => ({ patientId: 'p1', ward: 'w1', current: true, from: 0 }),
    } as unknown as DeviceDirectory;
    const clinical = {
      evaluate: () => ({ total: 0, risk: 'low', complete: false }),
    } as unknown as ClinicalEvaluator;
    const watch = {
      sampleArrived: () => undefined,
      readingsValid: () => true,
    } as unknown as DeviceWatchService;
    return {
      stored,
      ingest: new IngestService(
        { maxSamplesPerSecond: 50 },
        store,
        directory,
        clinical,
        watch,
        new OwnsEveryPatient(),
      ),
    };
  }

  it('stores a resent sample after a failed write, and drops a true repeat', async () => {
    const { stored, ingest } = setup();
    const payload = Buffer.from(
      JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 70 } }),
    );
    await expect(ingest.handleMessage('d1', 'vitals', payload)).rejects.toThrow('spool full');
    await ingest.handleMessage('d1', 'vitals', payload);
    await ingest.handleMessage('d1', 'vitals', payload);
    expect(stored.map((sample) => sample.seq)).toEqual([1]);
    expect(ingest.counters).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('keeps one of two samples with the same timestamp in one batch', async () => {
    const { stored, ingest } = setup();
    const ts = Date.now();
    const batch = Buffer.from(
      JSON.stringify({
        samples: [
          { ts, seq: 1, vitals: { heartRate: 70 } },
          { ts, seq: 2, vitals: { heartRate: 71 } },
        ],
      }),
    );
    await expect(ingest.handleMessage('d1', 'vitals', batch)).rejects.toThrow();
    await ingest.handleMessage('d1', 'vitals', batch);
    expect(stored).toHaveLength(1);
  });

  it('limits samples per device, not messages: a second 500-sample batch at once is refused', async () => {
    const { stored, ingest } = setup();
    const batch = (deviceSeq: number) => {
      const ts = Date.now() - 600_000;
      const samples = Array.from({ length: 500 }, (_, i) => ({
        ts: ts + deviceSeq * 1_000 + i,
        seq: deviceSeq * 1_000 + i,
        vitals: { heartRate: 70 },
      }));
      return Buffer.from(JSON.stringify({ samples }));
    };
    // The first write fails in this store; the samples it held still count against the device.
    await expect(ingest.handleMessage('d1', 'vitals', batch(0))).rejects.toThrow();
    expect(await ingest.handleMessage('d1', 'vitals', batch(1))).toMatchObject({
      code: 'DEVICE.RATE_LIMITED',
      detail: ['more than 50 samples per second'],
    });
    expect(await ingest.handleMessage('d2', 'vitals', batch(2))).toBeUndefined();
    expect(stored).toHaveLength(500);
  });
});
