import type { AlertPriority } from './alert';
import type { VitalName } from './vital-signs.catalogue';

export interface Patient {
  readonly id: string;
  readonly name: string;
  readonly ward: string;
  readonly admittedAt: string;
  /** NEWS2 SpO2 scale: 2 for hypercapnic respiratory failure (target 88-92 %). */
  readonly spo2Scale: 1 | 2;
}

export interface Device {
  readonly id: string;
  readonly patientId: string;
  readonly boundAt: string;
}

/** One per-patient threshold; it replaces the default rules of its vital and direction. */
export interface ThresholdOverride {
  readonly vital: VitalName;
  readonly comparison: 'above' | 'below';
  readonly threshold: number;
  readonly priority: AlertPriority;
  readonly sustainSeconds?: number;
  readonly clearBand?: number;
}
