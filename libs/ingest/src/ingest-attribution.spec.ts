// Samples go to the patient who wore the device at each sample's own time. The directory,
// store, evaluator and watch are stand-ins: this checks ingest's own split of a batch.
import { OwnsEveryPatient } from '@vigil/alerts';
import { TelemetryErrorCode, type Sample } from '@vigil/contracts';
import type { TelemetryStore } from '@vigil/storage';
import type { ClinicalEvaluator } from './clinical-evaluator';
import type { DeviceBinding, DeviceDirectory } from './device-directory.port';
import type { DeviceWatchService } from './device-watch.service';
import { IngestService } from './ingest.service';

describe('IngestService attributes samples by their time (stand-in directory and store)', () => {
  const movedAt = Date.now() - 60_000;
  const boundToB = movedAt + 20_000;
  const wornByA: DeviceBinding = {
    patientId: 'A',
    ward: 'w1',
    current: false,
    from: movedAt - 3_600_000,
    to: movedAt,
  };
  const wornByB: DeviceBinding = { patientId: 'B', ward: 'w2', current: true, from: boundToB };

  function setup() {
    const stored: Sample[] = [];
    const evaluated: Sample[] = [];
    const store = {
      async writeSamples(samples: readonly Sample[]) {
        stored.push(...samples);
      },
    } as unknown as TelemetryStore;
    const directory: DeviceDirectory = {
      bindingOf: () => wornByB,
      bindingAt: (_device, ts) =>
        ts >= wornByB.from ? wornByB : ts >= wornByA.from && ts < movedAt ? wornByA : undefined,
      boundDeviceIds: () => ['d1'],
    };
    const clinical = {
      evaluate: (sample: Sample) => {
        evaluated.push(sample);
        return { total: 0, risk: 'low', complete: false };
      },
    } as unknown as ClinicalEvaluator;
    const watch = {
      sampleArrived: () => undefined,
      readingsValid: () => true,
    } as unknown as DeviceWatchService;
    const ingest = new IngestService(
      { maxSamplesPerSecond: 50 },
      store,
      directory,
      clinical,
      watch,
      new OwnsEveryPatient(),
    );
    return { stored, evaluated, ingest };
  }

  const batch = (...times: number[]) =>
    Buffer.from(
      JSON.stringify({
        samples: times.map((ts, i) => ({ ts, seq: i, vitals: { spo2: 80 } })),
      }),
    );

  it("stores a batch buffered before the move in the earlier wearer's chart, and evaluates only the present wearer's", async () => {
    const { stored, evaluated, ingest } = setup();
    const rejection = await ingest.handleMessage(
      'd1',
      'vitals',
      batch(movedAt - 2_000, movedAt - 1_000, boundToB + 1_000),
    );
    expect(rejection).toBeUndefined();
    expect(stored.map((s) => s.patientId)).toEqual(['A', 'A', 'B']);
    expect(evaluated.map((s) => s.patientId)).toEqual(['B']);
    expect(ingest.counters).toMatchObject({ accepted: 3, attributedToEarlierPatient: 2 });
  });

  it('drops samples from when the device was on no one, says so, and keeps the rest', async () => {
    const { stored, ingest } = setup();
    const rejection = await ingest.handleMessage(
      'd1',
      'vitals',
      batch(movedAt + 5_000, boundToB + 2_000),
    );
    expect(rejection?.code).toBe(TelemetryErrorCode.DeviceUnbound);
    expect(rejection?.detail[0]).toMatch(/^1 of 2 samples/);
    expect(stored.map((s) => s.patientId)).toEqual(['B']);
  });

  it('refuses a message whose every sample is from when the device was on no one', async () => {
    const { stored, ingest } = setup();
    const rejection = await ingest.handleMessage('d1', 'vitals', batch(movedAt + 5_000));
    expect(rejection?.code).toBe(TelemetryErrorCode.DeviceUnbound);
    expect(stored).toEqual([]);
  });
});
