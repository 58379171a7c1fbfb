import type { Alert } from './alert';
import type { ConsciousnessLevel, VitalValues } from './vital-signs.catalogue';

/** Socket.IO namespace of the care-team console. */
export const CARE_NAMESPACE = '/care';

export const CareEvent = {
  AlertRaised: 'alert:raised',
  AlertUpdated: 'alert:updated',
  Vitals: 'vitals',
  PatientStatus: 'patient:status',
} as const;

export interface VitalsEvent {
  readonly patientId: string;
  readonly deviceId: string;
  /** The latest sample's timestamp (ISO-8601). */
  readonly ts: string;
  readonly vitals: VitalValues;
  readonly consciousness?: ConsciousnessLevel;
  readonly onOxygen?: boolean;
  readonly battery?: number;
}

export interface PatientStatusEvent {
  readonly patientId: string;
  readonly deviceId: string;
  readonly status: 'online' | 'offline';
  readonly at: string;
}

export interface CareServerEvents {
  'alert:raised': (alert: Alert) => void;
  'alert:updated': (alert: Alert) => void;
  vitals: (event: VitalsEvent) => void;
  'patient:status': (event: PatientStatusEvent) => void;
}
