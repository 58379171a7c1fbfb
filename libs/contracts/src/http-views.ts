import type { AlarmPause, Alert, AlertEvent, Standby } from './alert';
import type { Patient, ThresholdOverride } from './registry';
import type { Sample } from './sample';
import type { VitalName, VitalValues } from './vital-signs.catalogue';

/** `GET /api/patients`, `GET /api/patients/:id`. */
export interface PatientSummary extends Patient {
  readonly deviceIds: string[];
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
