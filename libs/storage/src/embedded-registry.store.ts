import type {
  DeviceBindingPeriod,
  Patient,
  Stay,
  ThresholdOverride,
  TrendOverrides,
} from '@vigil/contracts';
import { writeTransaction, type EmbeddedDatabase } from './embedded-database';
import { EmbeddedAuditLog } from './embedded-audit-log';
import {
  bindingFromRow,
  deviceFromRow,
  newPatientColumns,
  patientsFromRows,
  staysFromRows,
  type BindingRow,
  type DeviceRow,
  type IdentifierRow,
  type LocationRow,
  type PatientRow,
  type StayRow,
} from './registry-rows';
import {
  DuplicateRecordError,
  type AuditEntry,
  type AuditQuery,
  type DeviceRecord,
  type RegistryStore,
  type StayClosing,
  type StayOpening,
  type StoredAuditEntry,
} from './registry-store.port';

/** The tables of per-patient overrides, each a JSON body per patient. */
type OverrideTable = 'threshold_overrides' | 'trend_overrides';

export class EmbeddedRegistryStore implements RegistryStore {
  private readonly auditLog: EmbeddedAuditLog;

  constructor(private readonly db: EmbeddedDatabase) {
    this.auditLog = new EmbeddedAuditLog(db);
  }

  async addPatient(patient: Patient, stay: StayOpening, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      const result = this.db
        .prepare(
          `INSERT OR IGNORE INTO patients (id, name, ward, bed, admitted_at, spo2_scale, birth_date,
             sex, status, stay_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'admitted', ?)`,
        )
        .run(...newPatientColumns(patient, stay));
      if (result.changes === 0) throw new DuplicateRecordError('patient', patient.id);
      this.writeIdentifiers(patient);
      this.openStay(patient.id, stay);
    });
  }

  async readmitPatient(patient: Patient, stay: StayOpening, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      this.db
        .prepare(
          `UPDATE patients SET status = 'admitted', ward = ?, bed = ?, admitted_at = ?, stay_id = ?,
             discharged_at = NULL WHERE id = ?`,
        )
        .run(stay.location.ward, stay.location.bed ?? null, stay.at, stay.stayId, patient.id);
      this.openStay(patient.id, stay);
    });
  }

  async updateDemographics(patient: Patient, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      this.db
        .prepare('UPDATE patients SET name = ?, birth_date = ?, sex = ? WHERE id = ?')
        .run(patient.name, patient.birthDate ?? null, patient.sex ?? null, patient.id);
      this.db.prepare('DELETE FROM patient_identifiers WHERE patient_id = ?').run(patient.id);
      this.writeIdentifiers(patient);
    });
  }

  async movePatient(patient: Patient, audit: AuditEntry): Promise<void> {
    const at = audit.at;
    this.inTransaction(audit, () => {
      this.db
        .prepare('UPDATE stay_locations SET to_at = ? WHERE stay_id = ? AND to_at IS NULL')
        .run(at, patient.stayId);
      this.db
        .prepare('INSERT INTO stay_locations (stay_id, ward, bed, from_at) VALUES (?, ?, ?, ?)')
        .run(patient.stayId, patient.ward, patient.bed ?? null, at);
      this.setPlace(patient);
    });
  }

  async undoLastMove(patient: Patient, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      const [last, previous] = this.db
        .prepare('SELECT id FROM stay_locations WHERE stay_id = ? ORDER BY id DESC LIMIT 2')
        .all(patient.stayId) as { id: number }[];
      if (!previous) return;
      this.db.prepare('DELETE FROM stay_locations WHERE id = ?').run(last.id);
      this.db.prepare('UPDATE stay_locations SET to_at = NULL WHERE id = ?').run(previous.id);
      this.setPlace(patient);
    });
  }

  async endStay(patient: Patient, closing: StayClosing, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      this.db
        .prepare(
          'UPDATE stays SET ended_at = ?, end_reason = ?, discharge_note = ? WHERE id = ? AND ended_at IS NULL',
        )
        .run(closing.at, closing.reason, closing.note ?? null, closing.stayId);
      this.db
        .prepare('UPDATE stay_locations SET to_at = ? WHERE stay_id = ? AND to_at IS NULL')
        .run(closing.at, closing.stayId);
      this.db
        .prepare("UPDATE patients SET status = 'discharged', discharged_at = ? WHERE id = ?")
        .run(closing.at, patient.id);
    });
  }

  async reopenStay(patient: Patient, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      this.db
        .prepare(
          'UPDATE stays SET ended_at = NULL, end_reason = NULL, discharge_note = NULL WHERE id = ?',
        )
        .run(patient.stayId);
      this.db
        .prepare(
          `UPDATE stay_locations SET to_at = NULL
             WHERE id = (SELECT max(id) FROM stay_locations WHERE stay_id = ?)`,
        )
        .run(patient.stayId);
      this.db
        .prepare("UPDATE patients SET status = 'admitted', discharged_at = NULL WHERE id = ?")
        .run(patient.id);
    });
  }

  async listStays(patientId: string): Promise<Stay[]> {
    const stays = this.db
      .prepare('SELECT * FROM stays WHERE patient_id = ? ORDER BY started_at DESC')
      .all(patientId) as StayRow[];
    const locations = this.db
      .prepare(
        `SELECT l.* FROM stay_locations l JOIN stays s ON s.id = l.stay_id
           WHERE s.patient_id = ? ORDER BY l.id`,
      )
      .all(patientId) as LocationRow[];
    return staysFromRows(stays, locations);
  }

  async addDevice(device: DeviceRecord, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      const result = this.db
        .prepare(
          'INSERT OR IGNORE INTO devices (id, patient_id, bound_at, registered_at, secret_hash) VALUES (?, ?, ?, ?, ?)',
        )
        .run(device.id, device.patientId, device.boundAt, device.registeredAt, device.secretHash);
      if (result.changes === 0) throw new DuplicateRecordError('device', device.id);
      if (device.patientId && device.boundAt)
        this.openBinding(device.id, device.patientId, device.boundAt);
    });
  }

  async bindDevice(
    deviceId: string,
    patientId: string,
    at: string,
    secretHash: string | undefined,
    audit: AuditEntry,
  ): Promise<void> {
    this.inTransaction(audit, () => {
      this.db
        .prepare('UPDATE devices SET patient_id = ?, bound_at = ? WHERE id = ?')
        .run(patientId, at, deviceId);
      if (secretHash !== undefined)
        this.db
          .prepare('UPDATE devices SET secret_hash = ? WHERE id = ?')
          .run(secretHash, deviceId);
      this.openBinding(deviceId, patientId, at);
    });
  }

  async unbindDevice(deviceId: string, at: string, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      this.db
        .prepare('UPDATE devices SET patient_id = NULL, bound_at = NULL WHERE id = ?')
        .run(deviceId);
      this.db
        .prepare('UPDATE device_bindings SET to_at = ? WHERE device_id = ? AND to_at IS NULL')
        .run(at, deviceId);
    });
  }

  async setDeviceSecret(
    deviceId: string,
    secretHash: string | null,
    audit: AuditEntry,
  ): Promise<void> {
    this.inTransaction(audit, () => {
      this.db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?').run(secretHash, deviceId);
    });
  }

  async listPatients(): Promise<Patient[]> {
    const rows = this.db.prepare('SELECT * FROM patients ORDER BY ward, id').all() as PatientRow[];
    const identifiers = this.db
      .prepare('SELECT * FROM patient_identifiers ORDER BY rowid')
      .all() as IdentifierRow[];
    return patientsFromRows(rows, identifiers);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const rows = this.db.prepare('SELECT * FROM devices ORDER BY id').all() as DeviceRow[];
    return rows.map(deviceFromRow);
  }

  async listBindings(query: {
    deviceId?: string;
    endedAfter?: string;
  }): Promise<DeviceBindingPeriod[]> {
    const rows = (
      query.deviceId !== undefined
        ? this.db
            .prepare('SELECT * FROM device_bindings WHERE device_id = ? ORDER BY from_at DESC')
            .all(query.deviceId)
        : this.db
            .prepare(
              'SELECT * FROM device_bindings WHERE to_at IS NULL OR to_at > ? ORDER BY from_at DESC',
            )
            .all(query.endedAfter ?? '')
    ) as BindingRow[];
    return rows.map(bindingFromRow);
  }

  async setSpo2Scale(patientId: string, scale: 1 | 2, audit: AuditEntry): Promise<void> {
    this.inTransaction(audit, () => {
      this.db.prepare('UPDATE patients SET spo2_scale = ? WHERE id = ?').run(scale, patientId);
    });
  }

  async setThresholdOverrides(
    patientId: string,
    overrides: readonly ThresholdOverride[],
    audit: AuditEntry,
  ): Promise<void> {
    this.replaceOverrides('threshold_overrides', patientId, overrides, audit);
  }

  async listThresholdOverrides(): Promise<Map<string, ThresholdOverride[]>> {
    return this.listOverrides<ThresholdOverride[]>('threshold_overrides');
  }

  async setTrendOverrides(
    patientId: string,
    overrides: TrendOverrides,
    audit: AuditEntry,
  ): Promise<void> {
    this.replaceOverrides('trend_overrides', patientId, overrides, audit);
  }

  async listTrendOverrides(): Promise<Map<string, TrendOverrides>> {
    return this.listOverrides<TrendOverrides>('trend_overrides');
  }

  /** A patient's overrides of one kind, replaced whole as JSON, with the audit entry. */
  private replaceOverrides(
    table: OverrideTable,
    patientId: string,
    overrides: unknown,
    audit: AuditEntry,
  ): void {
    this.inTransaction(audit, () => {
      this.db
        .prepare(
          `INSERT INTO ${table} (patient_id, body) VALUES (?, ?) ON CONFLICT (patient_id) DO UPDATE SET body = excluded.body`,
        )
        .run(patientId, JSON.stringify(overrides));
    });
  }

  private listOverrides<T>(table: OverrideTable): Map<string, T> {
    const rows = this.db.prepare(`SELECT patient_id, body FROM ${table}`).all() as {
      patient_id: string;
      body: string;
    }[];
    return new Map(rows.map((row) => [row.patient_id, JSON.parse(row.body) as T]));
  }

  async listAudit(query: AuditQuery): Promise<StoredAuditEntry[]> {
    return this.auditLog.list(query);
  }

  async recordAudit(...entries: AuditEntry[]): Promise<void> {
    writeTransaction(this.db, () => {
      for (const entry of entries) this.auditLog.append(entry);
    })();
  }

  /** Runs a change and records its audit entry, both or neither. */
  private inTransaction(audit: AuditEntry, change: () => void): void {
    writeTransaction(this.db, () => {
      change();
      this.auditLog.append(audit);
    })();
  }

  private writeIdentifiers(patient: Patient): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO patient_identifiers (system, value, type, patient_id) VALUES (?, ?, ?, ?)',
    );
    for (const identifier of patient.identifiers) {
      const result = insert.run(
        identifier.system,
        identifier.value,
        identifier.type ?? null,
        patient.id,
      );
      if (result.changes === 0)
        throw new DuplicateRecordError('identifier', `${identifier.system}|${identifier.value}`);
    }
  }

  private openStay(patientId: string, stay: StayOpening): void {
    this.db
      .prepare('INSERT INTO stays (id, patient_id, visit_number, started_at) VALUES (?, ?, ?, ?)')
      .run(stay.stayId, patientId, stay.visitNumber ?? null, stay.at);
    this.db
      .prepare('INSERT INTO stay_locations (stay_id, ward, bed, from_at) VALUES (?, ?, ?, ?)')
      .run(stay.stayId, stay.location.ward, stay.location.bed ?? null, stay.at);
  }

  private setPlace(patient: Patient): void {
    this.db
      .prepare('UPDATE patients SET ward = ?, bed = ? WHERE id = ?')
      .run(patient.ward, patient.bed ?? null, patient.id);
  }

  private openBinding(deviceId: string, patientId: string, at: string): void {
    this.db
      .prepare('INSERT INTO device_bindings (device_id, patient_id, from_at) VALUES (?, ?, ?)')
      .run(deviceId, patientId, at);
  }
}
