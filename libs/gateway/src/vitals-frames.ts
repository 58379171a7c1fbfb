import type { VitalsEvent } from '@vigil/contracts';

/** One ward's live vitals gathered over a frame: the latest event of each patient. */
export interface VitalsFrame {
  /** Absent for a patient on no ward (seen only by every-ward consoles). */
  readonly ward?: string;
  readonly events: readonly VitalsEvent[];
}

/**
 * Gathers live vitals into one frame per ward. Across nodes each frame is one message through
 * Redis instead of one per patient's event: a ward of 25 sends twenty-five times fewer, and
 * every node reads that many fewer (docs/scaling.md).
 */
export class VitalsFrames {
  private readonly wards = new Map<string | undefined, Map<string, VitalsEvent>>();

  add(ward: string | undefined, event: VitalsEvent): void {
    let latest = this.wards.get(ward);
    if (!latest) this.wards.set(ward, (latest = new Map()));
    latest.set(event.patientId, event);
  }

  /** The frames gathered since the last call, and a fresh start. */
  take(): VitalsFrame[] {
    const frames = [...this.wards].map(([ward, latest]) => ({
      ...(ward !== undefined && { ward }),
      events: [...latest.values()],
    }));
    this.wards.clear();
    return frames;
  }
}
