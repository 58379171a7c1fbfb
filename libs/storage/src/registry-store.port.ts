import type { Device, Patient, ThresholdOverride } from '@vigil/contracts';

export const REGISTRY_STORE = Symbol('RegistryStore');

export class DuplicateRecordError extends Error {
  constructor(
    readonly kind: 'patient' | 'device',
    readonly id: string,
  ) {
    super(`${kind} ${id} already exists`);
  }
}

/** Who changed what, when, from what to what. */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
}

/** An audit entry made now; a `reason` is kept with the action, as `action: reason`. */
export function auditEntry(
  actor: string,
  action: string,
  subject: string,
  oldValue?: unknown,
  newValue?: unknown,
  reason?: string,
): AuditEntry {
  return {
    at: new Date().toISOString(),
    actor,
    action: reason ? `${action}: ${reason}` : action,
    subject,
    oldValue,
    newValue,
  };
}

/** Filters of the audit trail; `action` matches an action with or without its `: reason`. */
export interface AuditQuery {
  readonly subject?: string;
  readonly actor?: string;
  readonly action?: string;
  /** Entries after this id, oldest first. */
  readonly after?: number;
  readonly limit: number;
}

/** An entry as the trail keeps it, with its place in the trail (a page's cursor). */
export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

/** A bound device with the salted hash of its secret (null: revoked, or never issued). */
export interface DeviceRecord extends Device {
  readonly secretHash: string | null;
}

/** Patients admitted, the devices bound to them, their clinical settings and the audit trail. */
export interface RegistryStore {
  /** @throws DuplicateRecordError when the id is taken. */
  addPatient(patient: Patient, audit: AuditEntry): Promise<void>;
  /** @throws DuplicateRecordError when the id is taken. */
  addDevice(device: DeviceRecord, audit: AuditEntry): Promise<void>;
  /** Replaces (or, with null, revokes) a device's secret hash, with its audit entry. */
  setDeviceSecret(deviceId: string, secretHash: string | null, audit: AuditEntry): Promise<void>;
  listPatients(): Promise<Patient[]>;
  listDevices(): Promise<DeviceRecord[]>;
  /** Changes a patient's SpO2 scale and records the audit entry in one transaction. */
  setSpo2Scale(patientId: string, scale: 1 | 2, audit: AuditEntry): Promise<void>;
  /** Replaces a patient's threshold overrides and records the audit entry in one transaction. */
  setThresholdOverrides(
    patientId: string,
    overrides: readonly ThresholdOverride[],
    audit: AuditEntry,
  ): Promise<void>;
  listThresholdOverrides(): Promise<Map<string, ThresholdOverride[]>>;
  listAudit(query: AuditQuery): Promise<StoredAuditEntry[]>;
  /** Records an action that changes nothing else here (a login, an acknowledgement, an export). */
  recordAudit(entry: AuditEntry): Promise<void>;
}
