import type { Sample, VitalValues } from '@vigil/contracts';
import { VITAL_NAMES } from '@vigil/contracts';
import { median } from '@vigil/rules';
import type { DeviceMedians } from './pcd01-message';

export interface ChartingInterval {
  readonly start: number;
  readonly end: number;
}

/** Each device's median of each vital over its samples, devices in the order first heard. */
export function deviceMedians(samples: readonly Sample[]): DeviceMedians[] {
  const byDevice = new Map<string, Sample[]>();
  for (const sample of samples) {
    const ofDevice = byDevice.get(sample.deviceId);
    if (ofDevice) ofDevice.push(sample);
    else byDevice.set(sample.deviceId, [sample]);
  }
  return [...byDevice].map(([deviceId, ofDevice]) => {
    const medians: Partial<Record<keyof VitalValues, number>> = {};
    for (const vital of VITAL_NAMES) {
      const values = ofDevice.flatMap((sample) => sample.vitals[vital] ?? []);
      if (values.length > 0) medians[vital] = median(values);
    }
    return { deviceId, medians };
  });
}

/**
 * The intervals due for charting after `mark`: each ends on a multiple of `intervalMs` (so a
 * ward's patients chart on the same minutes), and is due once `graceMs` past its end, for samples
 * a device sends a little late. At most `max` at once, oldest first.
 */
export function dueIntervals(
  mark: number,
  now: number,
  intervalMs: number,
  graceMs: number,
  max: number,
): ChartingInterval[] {
  const due: ChartingInterval[] = [];
  let start = mark;
  while (due.length < max) {
    const end = (Math.floor(start / intervalMs) + 1) * intervalMs;
    if (end + graceMs > now) break;
    due.push({ start, end });
    start = end;
  }
  return due;
}

/** Where a patient first seen starts being charted: the interval she is in now. */
export function firstMark(now: number, intervalMs: number): number {
  return Math.floor(now / intervalMs) * intervalMs;
}
