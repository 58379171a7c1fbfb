import type { Alert, AlarmPause } from '@vigil/contracts';

/** Whether a pause of this scope silences this alert. */
export function pauseCovers(pause: Pick<AlarmPause, 'scope'>, alert: Alert): boolean {
  if (pause.scope === 'all') return true;
  if (pause.scope === 'physiological') return alert.category === 'physiological';
  return alert.vital === pause.scope;
}

/**
 * The alarm pauses in force, one per patient. Pure: the clock comes in as an argument. A pause
 * silences the announcement of alerts raised or changed under it; what they are, the caller
 * decides and records.
 */
export class AlarmPauses {
  private readonly pauses = new Map<string, AlarmPause>();

  list(): AlarmPause[] {
    return [...this.pauses.values()];
  }

  of(patientId: string, now: number): AlarmPause | undefined {
    const pause = this.pauses.get(patientId);
    return pause && Date.parse(pause.until) > now ? pause : undefined;
  }

  /** Sets (or replaces) the patient's pause. */
  set(pause: AlarmPause): void {
    this.pauses.set(pause.patientId, pause);
  }

  /** Ends the patient's pause now; returns it if one was in force. */
  end(patientId: string): AlarmPause | undefined {
    const pause = this.pauses.get(patientId);
    this.pauses.delete(patientId);
    return pause;
  }

  /** Whether the alert's announcement is silenced now. */
  silences(alert: Alert, now: number): boolean {
    const pause = this.of(alert.patientId, now);
    return pause !== undefined && pauseCovers(pause, alert);
  }

  /** The pauses that ran out by `now`, forgotten as they are returned. */
  expire(now: number): AlarmPause[] {
    const ended: AlarmPause[] = [];
    for (const [patientId, pause] of this.pauses) {
      if (Date.parse(pause.until) > now) continue;
      this.pauses.delete(patientId);
      ended.push(pause);
    }
    return ended;
  }
}
