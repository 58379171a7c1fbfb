import {
  STANDBY_SILENCED_CONDITIONS,
  type AlarmPause,
  type Alert,
  type Standby,
} from '@vigil/contracts';

/** Whether a pause of this scope silences this alert. */
export function pauseCovers(pause: Pick<AlarmPause, 'scope'>, alert: Alert): boolean {
  if (pause.scope === 'all') return true;
  if (pause.scope === 'physiological') return alert.category === 'physiological';
  return alert.vital === pause.scope;
}

/** Whether standby silences this alert: her devices' lost or untrustworthy data. */
export function standbyCovers(_standby: Standby, alert: Alert): boolean {
  return STANDBY_SILENCED_CONDITIONS.includes(alert.rule);
}

/** An alarm inactivation state of one patient, in force until a time. */
export interface Inactivation {
  readonly patientId: string;
  readonly until: string;
}

/**
 * The inactivations of one kind in force (alarm pauses, standbys), one per patient. Pure: the
 * clock comes in as an argument. One silences the announcement of the alerts it covers; what
 * they are, the caller decides and records.
 */
export class Inactivations<T extends Inactivation> {
  private readonly byPatient = new Map<string, T>();

  constructor(private readonly covers: (inactivation: T, alert: Alert) => boolean) {}

  of(patientId: string, now: number): T | undefined {
    const inactivation = this.byPatient.get(patientId);
    return inactivation && Date.parse(inactivation.until) > now ? inactivation : undefined;
  }

  /** Sets (or replaces) the patient's inactivation. */
  set(inactivation: T): void {
    this.byPatient.set(inactivation.patientId, inactivation);
  }

  /** Ends the patient's inactivation now; returns it if one was in force. */
  end(patientId: string): T | undefined {
    const inactivation = this.byPatient.get(patientId);
    this.byPatient.delete(patientId);
    return inactivation;
  }

  /** Drops the inactivations of the patients `which` selects (another node acts for them now). */
  forget(which: (patientId: string) => boolean): void {
    for (const patientId of [...this.byPatient.keys()])
      if (which(patientId)) this.byPatient.delete(patientId);
  }

  /** Whether the alert's announcement is silenced now. */
  silences(alert: Alert, now: number): boolean {
    const inactivation = this.of(alert.patientId, now);
    return inactivation !== undefined && this.covers(inactivation, alert);
  }

  /** The inactivations that ran out by `now`, forgotten as they are returned. */
  expire(now: number): T[] {
    const ended: T[] = [];
    for (const [patientId, inactivation] of this.byPatient) {
      if (Date.parse(inactivation.until) > now) continue;
      this.byPatient.delete(patientId);
      ended.push(inactivation);
    }
    return ended;
  }
}

/** The alarm pauses in force, one per patient. */
export class AlarmPauses extends Inactivations<AlarmPause> {
  constructor() {
    super(pauseCovers);
  }
}
