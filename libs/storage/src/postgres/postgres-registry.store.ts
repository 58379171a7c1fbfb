import type {
  DeviceBindingPeriod,
  Patient,
  Stay,
  ThresholdOverride,
  TrendOverrides,
} from '@vigil/contracts';
import type { Pool, PoolClient } from 'pg';
import {
  DuplicateRecordError,
  type AuditEntry,
  type AuditQuery,
  type DeviceRecord,
  type RegistryStore,
  type StayClosing,
  type StayOpening,
  type StoredAuditEntry,
} from '../registry-store.port';
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
} from '../registry-rows';
import { createSchemaOnce, inTransaction } from './transactions';
import { AUDIT_SCHEMA, appendAudit } from './postgres-audit-log';

/** The tables of per-patient overrides, each a JSON body per patient. */
type OverrideTable = 'threshold_overrides' | 'trend_overrides';

/**
 * The same tables as the embedded store's (libs/storage/src/embedded-database.ts). Times stay
 * ISO-8601 text, as the port gives and takes them, so both stores answer alike.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS patients (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, ward TEXT NOT NULL, admitted_at TEXT NOT NULL,
    spo2_scale INTEGER NOT NULL DEFAULT 1, birth_date TEXT, sex TEXT, bed TEXT,
    status TEXT NOT NULL DEFAULT 'admitted', stay_id TEXT, discharged_at TEXT);
  CREATE TABLE IF NOT EXISTS patient_identifiers (
    system TEXT NOT NULL, value TEXT NOT NULL, type TEXT,
    patient_id TEXT NOT NULL REFERENCES patients(id), position SERIAL,
    PRIMARY KEY (system, value));
  CREATE INDEX IF NOT EXISTS patient_identifiers_by_patient ON patient_identifiers (patient_id);
  CREATE TABLE IF NOT EXISTS stays (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), visit_number TEXT,
    started_at TEXT NOT NULL, ended_at TEXT, end_reason TEXT, discharge_note TEXT);
  CREATE INDEX IF NOT EXISTS stays_by_patient ON stays (patient_id, started_at);
  CREATE TABLE IF NOT EXISTS stay_locations (
    id BIGSERIAL PRIMARY KEY, stay_id TEXT NOT NULL REFERENCES stays(id),
    ward TEXT NOT NULL, bed TEXT, from_at TEXT NOT NULL, to_at TEXT);
  CREATE INDEX IF NOT EXISTS stay_locations_by_stay ON stay_locations (stay_id, id);
  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, patient_id TEXT REFERENCES patients(id), bound_at TEXT,
    registered_at TEXT NOT NULL, secret_hash TEXT);
  CREATE TABLE IF NOT EXISTS device_bindings (
    device_id TEXT NOT NULL, patient_id TEXT NOT NULL REFERENCES patients(id),
    from_at TEXT NOT NULL, to_at TEXT, PRIMARY KEY (device_id, from_at));
  CREATE INDEX IF NOT EXISTS device_bindings_by_patient ON device_bindings (patient_id);
  CREATE TABLE IF NOT EXISTS threshold_overrides (
    patient_id TEXT PRIMARY KEY REFERENCES patients(id), body JSONB NOT NULL);
  CREATE TABLE IF NOT EXISTS trend_overrides (
    patient_id TEXT PRIMARY KEY REFERENCES patients(id), body JSONB NOT NULL);
  ${AUDIT_SCHEMA}`;

interface AuditRow {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  old_value: unknown;
  new_value: unknown;
}

/** PostgreSQL's code for a unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * The registry in PostgreSQL (node-postgres), for nodes that share one (DATABASE_URL): the same
 * port and behaviour as the embedded store (registry-store.contract.ts), each change one
 * transaction with its audit entry.
 */
export class PostgresRegistryStore implements RegistryStore {
  constructor(private readonly pool: Pool) {}

  async createSchema(): Promise<void> {
    await createSchemaOnce(this.pool, SCHEMA);
  }

  async addPatient(patient: Patient, stay: StayOpening, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO patients (id, name, ward, bed, admitted_at, spo2_scale, birth_date, sex,
           status, stay_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'admitted', $9)
         ON CONFLICT (id) DO NOTHING`,
        newPatientColumns(patient, stay),
      );
      if (rowCount === 0) throw new DuplicateRecordError('patient', patient.id);
      await writeIdentifiers(client, patient);
      await openStay(client, patient.id, stay);
    });
  }

  async readmitPatient(patient: Patient, stay: StayOpening, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      await client.query(
        `UPDATE patients SET status = 'admitted', ward = $1, bed = $2, admitted_at = $3,
           stay_id = $4, discharged_at = NULL WHERE id = $5`,
        [stay.location.ward, stay.location.bed ?? null, stay.at, stay.stayId, patient.id],
      );
      await openStay(client, patient.id, stay);
    });
  }

  async updateDemographics(patient: Patient, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      await client.query('UPDATE patients SET name = $1, birth_date = $2, sex = $3 WHERE id = $4', [
        patient.name,
        patient.birthDate ?? null,
        patient.sex ?? null,
        patient.id,
      ]);
      await client.query('DELETE FROM patient_identifiers WHERE patient_id = $1', [patient.id]);
      await writeIdentifiers(client, patient);
    });
  }

  async movePatient(patient: Patient, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      await client.query(
        'UPDATE stay_locations SET to_at = $1 WHERE stay_id = $2 AND to_at IS NULL',
        [audit.at, patient.stayId],
      );
      await client.query(
        'INSERT INTO stay_locations (stay_id, ward, bed, from_at) VALUES ($1, $2, $3, $4)',
        [patient.stayId, patient.ward, patient.bed ?? null, audit.at],
      );
      await setPlace(client, patient);
    });
  }

  async undoLastMove(patient: Patient, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        'SELECT id FROM stay_locations WHERE stay_id = $1 ORDER BY id DESC LIMIT 2',
        [patient.stayId],
      );
      const [last, previous] = rows;
      if (!previous) return;
      await client.query('DELETE FROM stay_locations WHERE id = $1', [last.id]);
      await client.query('UPDATE stay_locations SET to_at = NULL WHERE id = $1', [previous.id]);
      await setPlace(client, patient);
    });
  }

  async endStay(patient: Patient, closing: StayClosing, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      await client.query(
        `UPDATE stays SET ended_at = $1, end_reason = $2, discharge_note = $3
           WHERE id = $4 AND ended_at IS NULL`,
        [closing.at, closing.reason, closing.note ?? null, closing.stayId],
      );
      await client.query(
        'UPDATE stay_locations SET to_at = $1 WHERE stay_id = $2 AND to_at IS NULL',
        [closing.at, closing.stayId],
      );
      await client.query(
        "UPDATE patients SET status = 'discharged', discharged_at = $1 WHERE id = $2",
        [closing.at, patient.id],
      );
    });
  }

  async reopenStay(patient: Patient, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      await client.query(
        'UPDATE stays SET ended_at = NULL, end_reason = NULL, discharge_note = NULL WHERE id = $1',
        [patient.stayId],
      );
      await client.query(
        `UPDATE stay_locations SET to_at = NULL
           WHERE id = (SELECT max(id) FROM stay_locations WHERE stay_id = $1)`,
        [patient.stayId],
      );
      await client.query(
        "UPDATE patients SET status = 'admitted', discharged_at = NULL WHERE id = $1",
        [patient.id],
      );
    });
  }

  async listStays(patientId: string): Promise<Stay[]> {
    const stays = await this.pool.query<StayRow>(
      'SELECT * FROM stays WHERE patient_id = $1 ORDER BY started_at DESC',
      [patientId],
    );
    const locations = await this.pool.query<LocationRow>(
      `SELECT l.* FROM stay_locations l JOIN stays s ON s.id = l.stay_id
         WHERE s.patient_id = $1 ORDER BY l.id`,
      [patientId],
    );
    return staysFromRows(stays.rows, locations.rows);
  }

  async addDevice(device: DeviceRecord, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO devices (id, patient_id, bound_at, registered_at, secret_hash)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [device.id, device.patientId, device.boundAt, device.registeredAt, device.secretHash],
      );
      if (rowCount === 0) throw new DuplicateRecordError('device', device.id);
      if (device.patientId && device.boundAt)
        await openBinding(client, device.id, device.patientId, device.boundAt);
    });
  }

  async bindDevice(
    deviceId: string,
    patientId: string,
    at: string,
    secretHash: string | undefined,
    audit: AuditEntry,
  ): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      await client.query(
        'UPDATE devices SET patient_id = $1, bound_at = $2, secret_hash = coalesce($3, secret_hash) WHERE id = $4',
        [patientId, at, secretHash ?? null, deviceId],
      );
      await openBinding(client, deviceId, patientId, at);
    });
  }

  async unbindDevice(deviceId: string, at: string, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, async (client) => {
      await client.query('UPDATE devices SET patient_id = NULL, bound_at = NULL WHERE id = $1', [
        deviceId,
      ]);
      await client.query(
        'UPDATE device_bindings SET to_at = $1 WHERE device_id = $2 AND to_at IS NULL',
        [at, deviceId],
      );
    });
  }

  async setDeviceSecret(
    deviceId: string,
    secretHash: string | null,
    audit: AuditEntry,
  ): Promise<void> {
    await this.inTransaction(audit, (client) =>
      client.query('UPDATE devices SET secret_hash = $1 WHERE id = $2', [secretHash, deviceId]),
    );
  }

  async listPatients(): Promise<Patient[]> {
    const patients = await this.pool.query<PatientRow>('SELECT * FROM patients ORDER BY ward, id');
    const identifiers = await this.pool.query<IdentifierRow>(
      'SELECT * FROM patient_identifiers ORDER BY position',
    );
    return patientsFromRows(patients.rows, identifiers.rows);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const { rows } = await this.pool.query<DeviceRow>('SELECT * FROM devices ORDER BY id');
    return rows.map(deviceFromRow);
  }

  async listBindings(query: {
    deviceId?: string;
    endedAfter?: string;
  }): Promise<DeviceBindingPeriod[]> {
    const { rows } = await (query.deviceId !== undefined
      ? this.pool.query<BindingRow>(
          'SELECT * FROM device_bindings WHERE device_id = $1 ORDER BY from_at DESC',
          [query.deviceId],
        )
      : this.pool.query<BindingRow>(
          'SELECT * FROM device_bindings WHERE to_at IS NULL OR to_at > $1 ORDER BY from_at DESC',
          [query.endedAfter ?? ''],
        ));
    return rows.map(bindingFromRow);
  }

  async setSpo2Scale(patientId: string, scale: 1 | 2, audit: AuditEntry): Promise<void> {
    await this.inTransaction(audit, (client) =>
      client.query('UPDATE patients SET spo2_scale = $1 WHERE id = $2', [scale, patientId]),
    );
  }

  async setThresholdOverrides(
    patientId: string,
    overrides: readonly ThresholdOverride[],
    audit: AuditEntry,
  ): Promise<void> {
    await this.replaceOverrides('threshold_overrides', patientId, overrides, audit);
  }

  async listThresholdOverrides(): Promise<Map<string, ThresholdOverride[]>> {
    return this.listOverrides<ThresholdOverride[]>('threshold_overrides');
  }

  async setTrendOverrides(
    patientId: string,
    overrides: TrendOverrides,
    audit: AuditEntry,
  ): Promise<void> {
    await this.replaceOverrides('trend_overrides', patientId, overrides, audit);
  }

  async listTrendOverrides(): Promise<Map<string, TrendOverrides>> {
    return this.listOverrides<TrendOverrides>('trend_overrides');
  }

  /** A patient's overrides of one kind, replaced whole as JSON, with the audit entry. */
  private async replaceOverrides(
    table: OverrideTable,
    patientId: string,
    overrides: unknown,
    audit: AuditEntry,
  ): Promise<void> {
    await this.inTransaction(audit, (client) =>
      client.query(
        `INSERT INTO ${table} (patient_id, body) VALUES ($1, $2)
           ON CONFLICT (patient_id) DO UPDATE SET body = EXCLUDED.body`,
        [patientId, JSON.stringify(overrides)],
      ),
    );
  }

  private async listOverrides<T>(table: OverrideTable): Promise<Map<string, T>> {
    const { rows } = await this.pool.query<{ patient_id: string; body: T }>(
      `SELECT patient_id, body FROM ${table}`,
    );
    return new Map(rows.map((row) => [row.patient_id, row.body]));
  }

  async listAudit(query: AuditQuery): Promise<StoredAuditEntry[]> {
    const where: string[] = [];
    const values: (string | number)[] = [];
    const add = (condition: (n: number) => string, ...params: (string | number)[]) => {
      where.push(condition(values.length + 1));
      values.push(...params);
    };
    if (query.subject) add((n) => `subject = $${n}`, query.subject);
    if (query.actor) add((n) => `actor = $${n}`, query.actor);
    if (query.action)
      add((n) => `(action = $${n} OR action LIKE $${n + 1})`, query.action, `${query.action}:%`);
    if (query.after !== undefined) add((n) => `id > $${n}`, query.after);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id LIMIT $${values.length + 1}`,
      [...values, query.limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      ...(row.old_value !== null && { oldValue: row.old_value }),
      ...(row.new_value !== null && { newValue: row.new_value }),
    }));
  }

  async recordAudit(...entries: AuditEntry[]): Promise<void> {
    if (entries.length === 1) return appendAudit(this.pool, entries[0]);
    await inTransaction(this.pool, async (connection) => {
      for (const entry of entries) await appendAudit(connection, entry);
    });
  }

  /** Runs a change and records its audit entry, both or neither. */
  private inTransaction(
    audit: AuditEntry,
    change: (client: PoolClient) => Promise<unknown>,
  ): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await change(client);
      await appendAudit(client, audit);
    });
  }
}

async function writeIdentifiers(client: PoolClient, patient: Patient): Promise<void> {
  for (const identifier of patient.identifiers) {
    try {
      await client.query(
        'INSERT INTO patient_identifiers (system, value, type, patient_id) VALUES ($1, $2, $3, $4)',
        [identifier.system, identifier.value, identifier.type ?? null, patient.id],
      );
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      throw new DuplicateRecordError('identifier', `${identifier.system}|${identifier.value}`);
    }
  }
}

async function openStay(client: PoolClient, patientId: string, stay: StayOpening): Promise<void> {
  await client.query(
    'INSERT INTO stays (id, patient_id, visit_number, started_at) VALUES ($1, $2, $3, $4)',
    [stay.stayId, patientId, stay.visitNumber ?? null, stay.at],
  );
  await client.query(
    'INSERT INTO stay_locations (stay_id, ward, bed, from_at) VALUES ($1, $2, $3, $4)',
    [stay.stayId, stay.location.ward, stay.location.bed ?? null, stay.at],
  );
}

async function setPlace(client: PoolClient, patient: Patient): Promise<void> {
  await client.query('UPDATE patients SET ward = $1, bed = $2 WHERE id = $3', [
    patient.ward,
    patient.bed ?? null,
    patient.id,
  ]);
}

async function openBinding(
  client: PoolClient,
  deviceId: string,
  patientId: string,
  at: string,
): Promise<void> {
  await client.query(
    'INSERT INTO device_bindings (device_id, patient_id, from_at) VALUES ($1, $2, $3)',
    [deviceId, patientId, at],
  );
}
