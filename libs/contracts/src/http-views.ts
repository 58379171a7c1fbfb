import type { AlarmPause, Alert, AlertEvent, Standby } from './alert';
import type { Patient, ThresholdOverride } from './registry';
import type { Sample } from './sample';
import type { VitalName, VitalValues } from './vital-signs.catalogue';

/** `GET /api/patients`, `GET /api/patients/:id`. */
export interface PatientSummary extends Patient {
  readonly deviceIds: string[];
  /** Her devices offline or silent now, if any: the tile says so from the first load. */
  readonly lostDeviceIds?: string[];
  /** The most recent stored sample, or null before the first one. */
  readonly latest: Pick<Sample, 'ts' | 'vitals' | 'battery'> | null;
  /** When her next set of observations is due (ISO-8601); absent once discharged. */
  readonly nextObservationDue?: string;
  /** Her alarm pause in force, if any. */
  readonly alarmPause?: AlarmPause;
  /** Her standby in force, if any. */
  readonly standby?: Standby;
}

/** `GET /api/patients/:id/vitals`. */
export interface PatientHistory {
  readonly patientId: string;
  readonly from: string;
  readonly to: string;
  readonly everyMs: number;
  readonly units: Record<VitalName, string>;
  /** Each bucket's start and the mean of each vital measured in it. */
  readonly points: { ts: string; vitals: VitalValues }[];
}

/** `GET /api/alerts`. */
export interface AlertWithHistory extends Alert {
  readonly history: readonly Pick<AlertEvent, 'kind' | 'at' | 'by'>[];
}

/** A threshold in force for a patient, with the clinical source it comes from. */
export interface ThresholdView extends ThresholdOverride {
  readonly source: string;
}

/** `GET /api/patients/:id/thresholds`: her own overrides, and every threshold in force. */
export interface PatientThresholds {
  readonly overrides: readonly ThresholdOverride[];
  readonly effective: readonly ThresholdView[];
}

/** Where a NEWS2 input came from: a device, or a nurse's observation. */
export interface News2Source {
  readonly value: number | boolean | string;
  /** When it was measured (ISO-8601). */
  readonly at: string;
  readonly deviceId?: string;
  readonly observationId?: string;
  readonly recordedBy?: string;
  /** Still within its freshness: counted in the score. */
  readonly fresh: boolean;
}

/** `GET /api/patients/:id/news2`: the score, and each input with its source. */
export interface News2View {
  readonly total: number;
  readonly subscores: Readonly<Record<string, number>>;
  readonly risk: string;
  readonly response: string;
  readonly scale: 1 | 2;
  readonly missing: readonly string[];
  /** All seven parameters present and fresh. */
  readonly complete: boolean;
  /** By input: respRate, spo2, onOxygen, systolicBp, heartRate, consciousness, temperature. */
  readonly sources: Readonly<Record<string, News2Source>>;
  /** When her next set of observations is due by this score (ISO-8601); absent once discharged. */
  readonly nextObservationDue?: string;
}

/** One rule's share of a ward's alarms. */
export interface AlarmLoadByRule {
  readonly rule: string;
  readonly category: string;
  readonly alarms: number;
  readonly high: number;
  readonly medium: number;
  readonly low: number;
  readonly acknowledged: number;
  /** Cleared on their own before anyone acknowledged them: the likeliest to need no action. */
  readonly resolvedUnacknowledged: number;
  readonly medianSecondsToAcknowledge?: number;
}

/** `GET /api/reports/alarm-load`: how many alarms a ward lived with, and what became of them. */
export interface AlarmLoadReport {
  readonly ward: string;
  readonly from: string;
  readonly to: string;
  /** Alarms raised on the ward within [from, to). */
  readonly alarms: number;
  /** The time patients lay on the ward within the period, summed, in days. */
  readonly patientDays: number;
  /** Alarms per patient-day (once patients lay there a day in all): the burden a nurse feels. */
  readonly alarmsPerPatientDay?: number;
  readonly byPriority: { readonly high: number; readonly medium: number; readonly low: number };
  readonly byRule: AlarmLoadByRule[];
  /** Most alarms first; the ward's own alarms under `patientId: ""`. */
  readonly byPatient: {
    readonly patientId: string;
    readonly name?: string;
    readonly bed?: string;
    readonly alarms: number;
  }[];
  readonly timeToAcknowledge: {
    readonly acknowledged: number;
    readonly medianSeconds?: number;
    readonly p90Seconds?: number;
  };
  readonly resolvedUnacknowledged: { readonly count: number; readonly share: number };
  /** Closed by a change of stay, device or standby, or folded into a ward alarm. */
  readonly withdrawn: number;
  /** Pauses and standbys set, with the time they were set for. */
  readonly pauses: {
    readonly count: number;
    readonly minutes: number;
    readonly byScope: Record<string, number>;
  };
  readonly standbys: { readonly count: number; readonly hours: number };
  /** More alarms were raised than one report reads: the figures cover the first of them. */
  readonly truncated: boolean;
}
