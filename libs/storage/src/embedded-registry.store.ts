import type { Patient, ThresholdOverride } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import { EmbeddedAuditLog } from './embedded-audit-log';
import {
  DuplicateRecordError,
  type AuditEntry,
  type AuditQuery,
  type StoredAuditEntry,
  type DeviceRecord,
  type RegistryStore,
} from './registry-store.port';

interface PatientRow {
  id: string;
  name: string;
  ward: string;
  admitted_at: string;
  spo2_scale: number;
}
interface DeviceRow {
  id: string;
  patient_id: string;
  bound_at: string;
  secret_hash: string | null;
}
export class EmbeddedRegistryStore implements RegistryStore {
  private readonly auditLog: EmbeddedAuditLog;

  constructor(private readonly db: EmbeddedDatabase) {
    this.auditLog = new EmbeddedAuditLog(db);
  }

  async addPatient(patient: Patient, audit: AuditEntry): Promise<void> {
    this.db.transaction(() => {
      const result = this.db
        .prepare(
          'INSERT OR IGNORE INTO patients (id, name, ward, admitted_at, spo2_scale) VALUES (?, ?, ?, ?, ?)',
        )
        .run(patient.id, patient.name, patient.ward, patient.admittedAt, patient.spo2Scale);
      if (result.changes === 0) throw new DuplicateRecordError('patient', patient.id);
      this.audit(audit);
    })();
  }

  async addDevice(device: DeviceRecord, audit: AuditEntry): Promise<void> {
    this.db.transaction(() => {
      const result = this.db
        .prepare(
          'INSERT OR IGNORE INTO devices (id, patient_id, bound_at, secret_hash) VALUES (?, ?, ?, ?)',
        )
        .run(device.id, device.patientId, device.boundAt, device.secretHash);
      if (result.changes === 0) throw new DuplicateRecordError('device', device.id);
      this.audit(audit);
    })();
  }

  async setDeviceSecret(
    deviceId: string,
    secretHash: string | null,
    audit: AuditEntry,
  ): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?').run(secretHash, deviceId);
      this.audit(audit);
    })();
  }

  async listPatients(): Promise<Patient[]> {
    const rows = this.db.prepare('SELECT * FROM patients ORDER BY ward, id').all() as PatientRow[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      ward: row.ward,
      admittedAt: row.admitted_at,
      spo2Scale: row.spo2_scale === 2 ? 2 : 1,
    }));
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const rows = this.db.prepare('SELECT * FROM devices ORDER BY id').all() as DeviceRow[];
    return rows.map((row) => ({
      id: row.id,
      patientId: row.patient_id,
      boundAt: row.bound_at,
      secretHash: row.secret_hash,
    }));
  }

  async setSpo2Scale(patientId: string, scale: 1 | 2, audit: AuditEntry): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('UPDATE patients SET spo2_scale = ? WHERE id = ?').run(scale, patientId);
      this.audit(audit);
    })();
  }

  async setThresholdOverrides(
    patientId: string,
    overrides: readonly ThresholdOverride[],
    audit: AuditEntry,
  ): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO threshold_overrides (patient_id, body) VALUES (?, ?) ON CONFLICT (patient_id) DO UPDATE SET body = excluded.body',
        )
        .run(patientId, JSON.stringify(overrides));
      this.audit(audit);
    })();
  }

  async listThresholdOverrides(): Promise<Map<string, ThresholdOverride[]>> {
    const rows = this.db.prepare('SELECT patient_id, body FROM threshold_overrides').all() as {
      patient_id: string;
      body: string;
    }[];
    return new Map(
      rows.map((row) => [row.patient_id, JSON.parse(row.body) as ThresholdOverride[]]),
    );
  }

  async listAudit(query: AuditQuery): Promise<StoredAuditEntry[]> {
    return this.auditLog.list(query);
  }

  async recordAudit(entry: AuditEntry): Promise<void> {
    this.auditLog.append(entry);
  }

  private audit(entry: AuditEntry): void {
    this.auditLog.append(entry);
  }
}
