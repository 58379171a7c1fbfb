import type { Device, Patient } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import { DuplicateRecordError, type RegistryStore } from './registry-store.port';

interface PatientRow {
  id: string;
  name: string;
  ward: string;
  admitted_at: string;
}
interface DeviceRow {
  id: string;
  patient_id: string;
  bound_at: string;
}

export class SqliteRegistryStore implements RegistryStore {
  constructor(private readonly db: EmbeddedDatabase) {}

  async addPatient(patient: Patient): Promise<void> {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO patients (id, name, ward, admitted_at) VALUES (?, ?, ?, ?)')
      .run(patient.id, patient.name, patient.ward, patient.admittedAt);
    if (result.changes === 0) throw new DuplicateRecordError('patient', patient.id);
  }

  async addDevice(device: Device): Promise<void> {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO devices (id, patient_id, bound_at) VALUES (?, ?, ?)')
      .run(device.id, device.patientId, device.boundAt);
    if (result.changes === 0) throw new DuplicateRecordError('device', device.id);
  }

  async listPatients(): Promise<Patient[]> {
    const rows = this.db.prepare('SELECT * FROM patients ORDER BY ward, id').all() as PatientRow[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      ward: row.ward,
      admittedAt: row.admitted_at,
    }));
  }

  async listDevices(): Promise<Device[]> {
    const rows = this.db.prepare('SELECT * FROM devices ORDER BY id').all() as DeviceRow[];
    return rows.map((row) => ({ id: row.id, patientId: row.patient_id, boundAt: row.bound_at }));
  }
}
