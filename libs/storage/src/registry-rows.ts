import type {
  DeviceBindingPeriod,
  Patient,
  PatientIdentifier,
  PatientSex,
  Stay,
  StayEndReason,
} from '@vigil/contracts';
import type { AuditEntry, DeviceRecord, StayOpening } from './registry-store.port';

// The registry's rows as both stores keep them (embedded SQLite and PostgreSQL share the tables'
// shape), and the records they make.

export interface PatientRow {
  id: string;
  name: string;
  ward: string;
  bed: string | null;
  admitted_at: string;
  spo2_scale: number;
  birth_date: string | null;
  sex: string | null;
  status: string;
  stay_id: string;
  discharged_at: string | null;
}
export interface IdentifierRow {
  patient_id: string;
  system: string;
  value: string;
  type: string | null;
}
export interface DeviceRow {
  id: string;
  patient_id: string | null;
  bound_at: string | null;
  registered_at: string;
  secret_hash: string | null;
}
export interface StayRow {
  id: string;
  patient_id: string;
  visit_number: string | null;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  discharge_note: string | null;
}
export interface LocationRow {
  stay_id: string;
  ward: string;
  bed: string | null;
  from_at: string;
  to_at: string | null;
}
export interface BindingRow {
  device_id: string;
  patient_id: string;
  from_at: string;
  to_at: string | null;
}

export function patientsFromRows(
  rows: readonly PatientRow[],
  identifierRows: readonly IdentifierRow[],
): Patient[] {
  const identifiers = new Map<string, PatientIdentifier[]>();
  for (const row of identifierRows) {
    const list = identifiers.get(row.patient_id) ?? [];
    list.push({ system: row.system, value: row.value, ...(row.type && { type: row.type }) });
    identifiers.set(row.patient_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    identifiers: identifiers.get(row.id) ?? [],
    ...(row.birth_date !== null && { birthDate: row.birth_date }),
    ...(row.sex !== null && { sex: row.sex as PatientSex }),
    status: row.status === 'discharged' ? 'discharged' : 'admitted',
    ward: row.ward,
    ...(row.bed !== null && { bed: row.bed }),
    stayId: row.stay_id,
    admittedAt: row.admitted_at,
    ...(row.discharged_at !== null && { dischargedAt: row.discharged_at }),
    spo2Scale: row.spo2_scale === 2 ? 2 : 1,
  }));
}

export function staysFromRows(rows: readonly StayRow[], locations: readonly LocationRow[]): Stay[] {
  return rows.map((row) => ({
    id: row.id,
    patientId: row.patient_id,
    ...(row.visit_number !== null && { visitNumber: row.visit_number }),
    start: row.started_at,
    ...(row.ended_at !== null && { end: row.ended_at }),
    ...(row.end_reason !== null && { endReason: row.end_reason as StayEndReason }),
    ...(row.discharge_note !== null && { dischargeNote: row.discharge_note }),
    locations: locations
      .filter((location) => location.stay_id === row.id)
      .map((location) => ({
        ward: location.ward,
        ...(location.bed !== null && { bed: location.bed }),
        from: location.from_at,
        ...(location.to_at !== null && { to: location.to_at }),
      })),
  }));
}

export const deviceFromRow = (row: DeviceRow): DeviceRecord => ({
  id: row.id,
  patientId: row.patient_id,
  boundAt: row.bound_at,
  registeredAt: row.registered_at,
  secretHash: row.secret_hash,
});

export const bindingFromRow = (row: BindingRow): DeviceBindingPeriod => ({
  deviceId: row.device_id,
  patientId: row.patient_id,
  from: row.from_at,
  to: row.to_at,
});

/** An audit entry's columns, values as JSON text, in the order both stores insert them. */
export function auditColumns(entry: AuditEntry): (string | null)[] {
  return [
    entry.at,
    entry.actor,
    entry.action,
    entry.subject,
    entry.oldValue === undefined ? null : JSON.stringify(entry.oldValue),
    entry.newValue === undefined ? null : JSON.stringify(entry.newValue),
  ];
}

/**
 * A newly admitted patient's columns, in the order both stores insert them: id, name, ward, bed,
 * admitted_at, spo2_scale, birth_date, sex, stay_id.
 */
export function newPatientColumns(patient: Patient, stay: StayOpening): (string | number | null)[] {
  return [
    patient.id,
    patient.name,
    stay.location.ward,
    stay.location.bed ?? null,
    stay.at,
    patient.spo2Scale,
    patient.birthDate ?? null,
    patient.sex ?? null,
    stay.stayId,
  ];
}
