import type { Sample } from '@vigil/contracts';
import type { TelemetryStore } from './telemetry-store.port';

export interface StoreUnderTest {
  readonly store: TelemetryStore;
  /** Resolves once everything written so far can be read back (a spool has drained). */
  settle(): Promise<void>;
  /** Closes what the store was opened on, after the store itself. */
  dispose?(): Promise<void>;
}

/**
 * The behaviour every TelemetryStore adapter must show. Each adapter's spec calls this with a
 * factory for a fresh, empty store.
 */
export function describeTelemetryStoreContract(
  adapterName: string,
  openStore: () => Promise<StoreUnderTest>,
): void {
  describe(`TelemetryStore contract: ${adapterName}`, () => {
    let store: TelemetryStore;
    let settle: () => Promise<void>;
    let dispose: (() => Promise<void>) | undefined;
    const base = Date.UTC(2026, 10, 28, 8, 0, 0);
    const sample = (seconds: number, vitals: Sample['vitals'], patientId = 'p1'): Sample => ({
      patientId,
      deviceId: `dev-${patientId}`,
      ts: base + seconds * 1000,
      seq: seconds,
      vitals,
    });

    beforeEach(async () => {
      ({ store, settle, dispose } = await openStore());
    });
    afterEach(async () => {
      await store.close();
      await dispose?.();
    });

    it('returns written samples in time order within the range asked for', async () => {
      await store.writeSamples([
        sample(2, { spo2: 95 }),
        sample(0, { spo2: 97 }),
        sample(1, { spo2: 96 }),
      ]);
      await store.writeSamples([sample(9, { spo2: 90 })]);
      await settle();
      const found = await store.querySamples({ patientId: 'p1', from: base, to: base + 3000 });
      expect(found.map((s) => s.vitals.spo2)).toEqual([97, 96, 95]);
      expect(found[0]).toEqual(sample(0, { spo2: 97 }));
    });

    it('answers the latest samples first when asked, the limit keeping the newest', async () => {
      await store.writeSamples([0, 1, 2, 3].map((i) => sample(i, { heartRate: 60 + i })));
      await settle();
      const found = await store.querySamples({
        patientId: 'p1',
        from: base,
        to: base + 10_000,
        limit: 2,
        newestFirst: true,
      });
      expect(found.map((s) => s.vitals.heartRate)).toEqual([63, 62]);
    });

    it('keeps one copy of a sample written twice', async () => {
      await store.writeSamples([sample(1, { heartRate: 80 })]);
      await store.writeSamples([sample(1, { heartRate: 80 })]);
      await settle();
      const found = await store.querySamples({ patientId: 'p1', from: base, to: base + 10_000 });
      expect(found).toHaveLength(1);
    });

    it('keeps patients apart and finds the latest sample', async () => {
      await Promise.all([
        store.writeSamples([
          sample(1, { heartRate: 80 }, 'p1'),
          sample(5, { heartRate: 82 }, 'p1'),
        ]),
        store.writeSamples([sample(7, { heartRate: 120 }, 'p2')]),
      ]);
      await settle();
      expect((await store.latestSample('p1'))?.vitals).toEqual({ heartRate: 82 });
      expect(await store.latestSample('nobody')).toBeUndefined();
      const p2 = await store.querySamples({ patientId: 'p2', from: base, to: base + 10_000 });
      expect(p2.map((s) => s.patientId)).toEqual(['p2']);
    });

    it('keeps every field of a sample', async () => {
      const full: Sample = {
        ...sample(3, {
          heartRate: 91,
          respRate: 18,
          spo2: 95,
          temperature: 37.6,
          systolicBp: 118,
          diastolicBp: 76,
        }),
        consciousness: 'C',
        onOxygen: true,
        battery: 64,
      };
      await store.writeSamples([full]);
      await settle();
      const [found] = await store.querySamples({ patientId: 'p1', from: base, to: base + 10_000 });
      expect(found).toEqual(full);
    });

    it('downsamples history to the mean per bucket, aligned to the epoch', async () => {
      await store.writeSamples([
        sample(0, { heartRate: 80, spo2: 96 }),
        sample(20, { heartRate: 90 }),
        sample(40, { heartRate: 100, spo2: 98 }),
        sample(65, { heartRate: 70 }),
        sample(200, { heartRate: 60 }),
      ]);
      await settle();
      const history = await store.queryHistory({
        patientId: 'p1',
        from: base,
        to: base + 120_000,
        everyMs: 60_000,
      });
      expect(history).toEqual([
        { ts: base, vitals: { heartRate: 90, spo2: 97 } },
        { ts: base + 60_000, vitals: { heartRate: 70 } },
      ]);
    });

    it('takes alert events to keep beside the vitals, without failing', async () => {
      await expect(store.recordAlertEvents([])).resolves.toBeUndefined();
    });

    it('reports itself up', async () => {
      expect((await store.health()).status).toBe('up');
    });
  });
}
