/** When many patients' devices of one ward are lost at once, one alarm speaks for them all. */
export interface OutagePolicy {
  /**
   * How long a lost device waits before it raises its own alarm: long enough to see whether others
   * of its ward are lost with it (an access point, a switch, a restart), short beside the time a
   * wearable can be off before anyone should worry.
   */
  readonly groupingWindowMs: number;
  /** How many patients of a ward lost at once make it the ward's alarm rather than theirs. */
  readonly minPatients: number;
}

/** Who speaks for a lost device: nobody yet, its own alarm, or its ward's. */
type Announcement = 'pending' | 'device' | 'ward';

interface LostDevice {
  readonly patientId: string;
  readonly ward: string;
  readonly since: number;
  announced: Announcement;
}

export interface OutageDecision {
  /** Devices whose own alarms are to be raised now. */
  readonly raise: string[];
  /** Devices whose own alarms are to be withdrawn: their ward's alarm now speaks for them. */
  readonly fold: string[];
  /** Wards whose alarm is to be raised, or restated, naming how many patients are affected. */
  readonly wardAlarms: { readonly ward: string; readonly patients: number }[];
  /** Wards whose alarm is to be cleared: too few of its devices are still lost. */
  readonly wardClears: string[];
}

/**
 * Groups devices lost (offline or silent) by ward and decides who raises the alarm once the first
 * of them has been lost for the grouping window: a device alone raises its own; when
 * `minPatients` patients of its ward are lost, one ward alarm names how many, and it speaks for
 * all of them until fewer are lost, when those still lost raise their own. Pure: devices and the clock come in as arguments.
 */
export class ConnectionOutages {
  private readonly lost = new Map<string, LostDevice>();
  private readonly wardAlarms = new Map<string, number>();
  /** Ward alarms restored after a restart, not cleared before these times (epoch ms). */
  private readonly standsUntil = new Map<string, number>();

  constructor(private readonly policy: OutagePolicy) {}

  /**
   * A ward alarm open before a restart: it stands until `until` (while the wearables come back),
   * then until the grouping finds too few lost.
   */
  restoreWardAlarm(ward: string, patients: number, until: number): void {
    this.wardAlarms.set(ward, patients);
    this.standsUntil.set(ward, until);
  }

  /** The device is lost (again: its first loss time is kept). */
  lose(deviceId: string, patientId: string, ward: string, now: number): void {
    const known = this.lost.get(deviceId);
    if (known && known.patientId === patientId && known.ward === ward) return;
    this.lost.set(deviceId, {
      patientId,
      ward,
      since: known?.since ?? now,
      announced: known?.announced ?? 'pending',
    });
  }

  /** The device is back (or no longer watched); says whether its own alarm was raised. */
  recover(deviceId: string): { hadOwnAlarm: boolean } {
    const known = this.lost.get(deviceId);
    this.lost.delete(deviceId);
    return { hadOwnAlarm: known?.announced === 'device' };
  }

  /** Whether the device's own alarm speaks for it now (a further loss of it is raised at once). */
  announcedAlone(deviceId: string): boolean {
    return this.lost.get(deviceId)?.announced === 'device';
  }

  decide(now: number): OutageDecision {
    const decision: OutageDecision = { raise: [], fold: [], wardAlarms: [], wardClears: [] };
    const byWard = new Map<string, [string, LostDevice][]>();
    for (const entry of this.lost) {
      const devices = byWard.get(entry[1].ward) ?? [];
      devices.push(entry);
      byWard.set(entry[1].ward, devices);
    }
    for (const [ward, devices] of byWard) {
      const patients = new Set(devices.map(([, device]) => device.patientId)).size;
      if (patients >= this.policy.minPatients) {
        // A blip shorter than the window (a worker or access point restarting) raises nothing.
        const due =
          this.wardAlarms.has(ward) ||
          devices.some(
            ([, device]) =>
              device.announced !== 'pending' || now - device.since >= this.policy.groupingWindowMs,
          );
        if (!due) continue;
        if (this.wardAlarms.get(ward) !== patients) decision.wardAlarms.push({ ward, patients });
        this.wardAlarms.set(ward, patients);
        for (const [deviceId, device] of devices) {
          if (device.announced === 'device') decision.fold.push(deviceId);
          device.announced = 'ward';
        }
        continue;
      }
      for (const [deviceId, device] of devices) {
        const waited = now - device.since >= this.policy.groupingWindowMs;
        if (device.announced === 'ward' || (device.announced === 'pending' && waited)) {
          device.announced = 'device';
          decision.raise.push(deviceId);
        }
      }
    }
    for (const ward of [...this.wardAlarms.keys()]) {
      const patients = new Set((byWard.get(ward) ?? []).map(([, device]) => device.patientId)).size;
      if (patients >= this.policy.minPatients || now < (this.standsUntil.get(ward) ?? 0)) continue;
      this.standsUntil.delete(ward);
      this.wardAlarms.delete(ward);
      decision.wardClears.push(ward);
    }
    return decision;
  }
}
