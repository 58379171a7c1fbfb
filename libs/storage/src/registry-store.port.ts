import type {
  Device,
  DeviceBindingPeriod,
  Patient,
  Stay,
  StayEndReason,
  StayLocation,
  ThresholdOverride,
  TrendOverrides,
} from '@vigil/contracts';

export const REGISTRY_STORE = Symbol('RegistryStore');

export class DuplicateRecordError extends Error {
  constructor(
    readonly kind: 'patient' | 'device' | 'identifier',
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

/** A device with the salted hash of its secret (null: revoked, or never issued). */
export interface DeviceRecord extends Omit<Device, 'state'> {
  readonly secretHash: string | null;
}

/** A stay's opening: the patient's first place on it. */
export interface StayOpening {
  readonly stayId: string;
  readonly visitNumber?: string;
  readonly at: string;
  readonly location: Omit<StayLocation, 'from' | 'to'>;
}

/** A stay's end. */
export interface StayClosing {
  readonly stayId: string;
  readonly at: string;
  readonly reason: StayEndReason;
  readonly note?: string;
}

/**
 * Patients and their stays, the devices they wear and have worn, their clinical settings and
 * the audit trail. Each change is one transaction with its audit entry.
 */
export interface RegistryStore {
  /** A new patient with her first stay. @throws DuplicateRecordError when the id or an identifier is taken. */
  addPatient(patient: Patient, stay: StayOpening, audit: AuditEntry): Promise<void>;
  /** A discharged patient back in, on a new stay. */
  readmitPatient(patient: Patient, stay: StayOpening, audit: AuditEntry): Promise<void>;
  /** Name, identifiers, birth date, sex. @throws DuplicateRecordError when an identifier is taken. */
  updateDemographics(patient: Patient, audit: AuditEntry): Promise<void>;
  /** Ends her current place on the stay and opens the next. */
  movePatient(patient: Patient, audit: AuditEntry): Promise<void>;
  /** Undoes her last move: the place before it is hers again, as if the move never was. */
  undoLastMove(patient: Patient, audit: AuditEntry): Promise<void>;
  /** Ends the stay and her place on it. */
  endStay(patient: Patient, closing: StayClosing, audit: AuditEntry): Promise<void>;
  /** Opens an ended stay again where it ended (a discharge entered in error). */
  reopenStay(patient: Patient, audit: AuditEntry): Promise<void>;
  listStays(patientId: string): Promise<Stay[]>;

  /** @throws DuplicateRecordError when the id is taken. */
  addDevice(device: DeviceRecord, audit: AuditEntry): Promise<void>;
  /** Puts a device on a patient (and replaces its secret hash, when given). */
  bindDevice(
    deviceId: string,
    patientId: string,
    at: string,
    secretHash: string | undefined,
    audit: AuditEntry,
  ): Promise<void>;
  unbindDevice(deviceId: string, at: string, audit: AuditEntry): Promise<void>;
  /** Replaces (or, with null, revokes) a device's secret hash, with its audit entry. */
  setDeviceSecret(deviceId: string, secretHash: string | null, audit: AuditEntry): Promise<void>;
  listPatients(): Promise<Patient[]>;
  listDevices(): Promise<DeviceRecord[]>;
  /** Binding periods, newest first: of one device, or (no id) every one still open or ended after `endedAfter`. */
  listBindings(query: { deviceId?: string; endedAfter?: string }): Promise<DeviceBindingPeriod[]>;
  /** Changes a patient's SpO2 scale and records the audit entry in one transaction. */
  setSpo2Scale(patientId: string, scale: 1 | 2, audit: AuditEntry): Promise<void>;
  /** Replaces a patient's threshold overrides and records the audit entry in one transaction. */
  setThresholdOverrides(
    patientId: string,
    overrides: readonly ThresholdOverride[],
    audit: AuditEntry,
  ): Promise<void>;
  listThresholdOverrides(): Promise<Map<string, ThresholdOverride[]>>;
  /** Replaces a patient's trend settings overrides and records the audit entry in one transaction. */
  setTrendOverrides(patientId: string, overrides: TrendOverrides, audit: AuditEntry): Promise<void>;
  listTrendOverrides(): Promise<Map<string, TrendOverrides>>;
  listAudit(query: AuditQuery): Promise<StoredAuditEntry[]>;
  /**
   * Records actions that change nothing else here (a login, an acknowledgement, an export); several
   * at once share one transaction.
   */
  recordAudit(...entries: AuditEntry[]): Promise<void>;
}
