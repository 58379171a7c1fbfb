import type { AlarmPause, Alert, Standby } from './alert';
import type { Patient } from './registry';
import type { ConsciousnessLevel, VitalValues } from './vital-signs.catalogue';

/** NEWS2 clinical risk bands (RCP 2017, chart 2), lowest first. */
export const NEWS2_RISKS = ['low', 'low-medium', 'medium', 'high'] as const;
export type News2Risk = (typeof NEWS2_RISKS)[number];

/** Socket.IO namespace of the care-team console. */
export const CARE_NAMESPACE = '/care';

export const CareEvent = {
  AlertRaised: 'alert:raised',
  AlertUpdated: 'alert:updated',
  Vitals: 'vitals',
  PatientStatus: 'patient:status',
  /** An unacknowledged high-priority alert, announced again to the second audience. */
  AlertEscalated: 'alert:escalated',
  /** A patient arrived on the viewer's wards, or her details changed (bed, name, devices). */
  PatientUpdated: 'patient:updated',
  /** A patient left the viewer's wards (transfer elsewhere, discharge): drop her and her alerts. */
  PatientLeft: 'patient:left',
  /** A patient's alarms paused (`pause`) or resumed (`pause: null`). */
  AlarmPause: 'patient:alarm-pause',
  /** A patient went on standby (`standby`) or came back (`standby: null`). */
  Standby: 'patient:standby',
  /** Client to server: acknowledge an alert. */
  AlertAck: 'alert:ack',
} as const;

/** Client to server, `alert:ack`; the server answers through the Socket.IO acknowledgement. */
export interface AlertAckRequest {
  readonly alertId: string;
}

export type AlertAckResponse =
  { readonly ok: true; readonly alert: Alert } | { readonly ok: false; readonly error: string };

/**
 * Handshake `auth` of a console: `token` is the access token from login (required); `since` is
 * the `updatedAt` of the last alert change it saw.
 */
export interface CareHandshake {
  readonly token: string;
  readonly since?: string;
}

/** The `connect_error` message when the handshake token is missing, invalid or expired. */
export const CARE_UNAUTHORIZED = 'unauthorized';

export interface VitalsEvent {
  readonly patientId: string;
  readonly deviceId: string;
  /** The latest sample's timestamp (ISO-8601). */
  readonly ts: string;
  readonly vitals: VitalValues;
  readonly consciousness?: ConsciousnessLevel;
  readonly onOxygen?: boolean;
  readonly battery?: number;
  /** NEWS2 after the latest sample; `complete` false when some parameter was missing. */
  readonly news2?: {
    readonly total: number;
    readonly risk: News2Risk;
    readonly complete: boolean;
  };
}

export interface PatientStatusEvent {
  readonly patientId: string;
  readonly deviceId: string;
  readonly status: 'online' | 'offline';
  readonly at: string;
}

export interface PatientUpdatedEvent {
  readonly patient: Patient;
  readonly deviceIds: readonly string[];
}

export interface PatientLeftEvent {
  readonly patientId: string;
  readonly reason: 'transferred' | 'discharged' | 'admission-cancelled';
  /** Where she went, for a transfer. */
  readonly toWard?: string;
}

export interface AlarmPauseEvent {
  readonly patientId: string;
  readonly pause: AlarmPause | null;
}

export interface StandbyEvent {
  readonly patientId: string;
  readonly standby: Standby | null;
}

export interface CareServerEvents {
  'alert:raised': (alert: Alert) => void;
  'alert:updated': (alert: Alert) => void;
  vitals: (event: VitalsEvent) => void;
  'patient:status': (event: PatientStatusEvent) => void;
  'patient:updated': (event: PatientUpdatedEvent) => void;
  'patient:left': (event: PatientLeftEvent) => void;
  'patient:alarm-pause': (event: AlarmPauseEvent) => void;
  'patient:standby': (event: StandbyEvent) => void;
  'alert:escalated': (event: { kind: 'escalated' | 'reminded'; alert: Alert }) => void;
}
