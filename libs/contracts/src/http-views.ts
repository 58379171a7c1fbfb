import type { Alert, AlertEvent } from './alert';
import type { Patient, ThresholdOverride } from './registry';
import type { Sample } from './sample';
import type { VitalName, VitalValues } from './vital-signs.catalogue';

/** `GET /api/patients`, `GET /api/patients/:id`. */
export interface PatientSummary extends Patient {
  readonly deviceIds: string[];
  /** The most recent stored sample, or null before the first one. */
  readonly latest: Pick<Sample, 'ts' | 'vitals' | 'battery'> | null;
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
