import type { VitalValues, VitalsEvent } from '@vigil/contracts';
import type { EvaluatedSample } from '@vigil/ingest';
import { Observable } from 'rxjs';

/** What a patient's tile shows: the latest value of every vital seen. */
interface Tile {
  deviceId: string;
  ts: number;
  vitals: VitalValues;
  consciousness?: VitalsEvent['consciousness'];
  onOxygen?: boolean;
  battery?: number;
  news2: EvaluatedSample['news2'];
  lastSentAt: number;
}

/**
 * Live vitals for the console: per patient, at most one event per `intervalMs` (the first sample
 * at once, then the latest within the next interval), each carrying the latest value of every
 * vital seen, so a device that sends vitals in separate samples still paints a whole tile.
 * One timer serves every patient: a timer per patient and window cost more than the rest of
 * the line at 10,000 wearables. A patient nobody `watches` has the tile kept, and no event made.
 */
export function liveVitals(
  samples$: Observable<EvaluatedSample>,
  intervalMs: number,
  now: () => number = Date.now,
  watched: (patientId: string) => boolean = () => true,
): Observable<VitalsEvent> {
  return new Observable<VitalsEvent>((subscriber) => {
    const tiles = new Map<string, Tile>();
    const held = new Set<string>();
    const send = (patientId: string, tile: Tile, at: number) => {
      if (!watched(patientId)) return;
      tile.lastSentAt = at;
      subscriber.next({
        patientId,
        deviceId: tile.deviceId,
        ts: new Date(tile.ts).toISOString(),
        vitals: { ...tile.vitals },
        consciousness: tile.consciousness,
        onOxygen: tile.onOxygen,
        battery: tile.battery,
        news2: { ...tile.news2 },
      });
    };
    const timer = setInterval(() => {
      const at = now();
      for (const patientId of held) {
        const tile = tiles.get(patientId) as Tile;
        if (at - tile.lastSentAt < intervalMs) continue;
        held.delete(patientId);
        send(patientId, tile, at);
      }
    }, intervalMs);
    timer.unref();
    const subscription = samples$.subscribe({
      next: (sample) => {
        const at = now();
        let tile = tiles.get(sample.patientId);
        if (!tile) {
          tile = {
            deviceId: sample.deviceId,
            ts: sample.ts,
            vitals: {},
            news2: { ...sample.news2 },
            lastSentAt: -Infinity,
          };
          tiles.set(sample.patientId, tile);
        }
        tile.deviceId = sample.deviceId;
        tile.ts = sample.ts;
        Object.assign(tile.vitals, sample.vitals);
        if (sample.consciousness !== undefined) tile.consciousness = sample.consciousness;
        if (sample.onOxygen !== undefined) tile.onOxygen = sample.onOxygen;
        if (sample.battery !== undefined) tile.battery = sample.battery;
        // In place: a new object per sample would outlive the young generation at 10,000 patients.
        Object.assign(tile.news2, sample.news2);
        if (at - tile.lastSentAt >= intervalMs) {
          held.delete(sample.patientId);
          send(sample.patientId, tile, at);
        } else {
          held.add(sample.patientId);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      clearInterval(timer);
      subscription.unsubscribe();
    };
  });
}
