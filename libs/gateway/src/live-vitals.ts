import type { VitalsEvent } from '@vigil/contracts';
import type { EvaluatedSample } from '@vigil/ingest';
import { asyncScheduler, groupBy, mergeMap, scan, throttleTime, type Observable } from 'rxjs';

/**
 * Live vitals for the console: per patient, at most one event per `intervalMs` (first and last
 * of each window), each carrying the latest value of every vital seen, so a device that sends
 * vitals in separate samples still paints a whole tile.
 */
export function liveVitals(
  samples$: Observable<EvaluatedSample>,
  intervalMs: number,
): Observable<VitalsEvent> {
  return samples$.pipe(
    groupBy((sample) => sample.patientId),
    mergeMap((patientSamples$) =>
      patientSamples$.pipe(
        scan(
          (latest: VitalsEvent | undefined, sample): VitalsEvent => ({
            patientId: sample.patientId,
            deviceId: sample.deviceId,
            ts: new Date(sample.ts).toISOString(),
            vitals: { ...latest?.vitals, ...sample.vitals },
            consciousness: sample.consciousness ?? latest?.consciousness,
            onOxygen: sample.onOxygen ?? latest?.onOxygen,
            battery: sample.battery ?? latest?.battery,
            news2: sample.news2,
          }),
          undefined,
        ),
        throttleTime(intervalMs, asyncScheduler, { leading: true, trailing: true }),
      ),
    ),
  ) as Observable<VitalsEvent>;
}
