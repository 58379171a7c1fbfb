import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export type EmbeddedDatabase = Database.Database;

export interface EmbeddedDatabaseOptions {
  /**
   * Encrypts the file (SQLCipher 4 format, through SQLite3MultipleCiphers): pages, WAL and
   * journal are unreadable without it. Absent: a plain SQLite file.
   */
  readonly encryptionKey?: string;
}

/** Only Vigil's own user may read what it keeps: patients, vitals, password hashes. */
const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;

/** Raised whenever SCHEMA changes in a way an existing file cannot follow. */
const SCHEMA_VERSION = 7;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS patients (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, ward TEXT NOT NULL, admitted_at TEXT NOT NULL,
    spo2_scale INTEGER NOT NULL DEFAULT 1, birth_date TEXT, sex TEXT, bed TEXT,
    status TEXT NOT NULL DEFAULT 'admitted', stay_id TEXT, discharged_at TEXT);
  CREATE TABLE IF NOT EXISTS patient_identifiers (
    system TEXT NOT NULL, value TEXT NOT NULL, type TEXT,
    patient_id TEXT NOT NULL REFERENCES patients(id), PRIMARY KEY (system, value));
  CREATE INDEX IF NOT EXISTS patient_identifiers_by_patient ON patient_identifiers (patient_id);
  CREATE TABLE IF NOT EXISTS stays (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), visit_number TEXT,
    started_at TEXT NOT NULL, ended_at TEXT, end_reason TEXT, discharge_note TEXT);
  CREATE INDEX IF NOT EXISTS stays_by_patient ON stays (patient_id, started_at);
  CREATE TABLE IF NOT EXISTS stay_locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, stay_id TEXT NOT NULL REFERENCES stays(id),
    ward TEXT NOT NULL, bed TEXT, from_at TEXT NOT NULL, to_at TEXT);
  CREATE INDEX IF NOT EXISTS stay_locations_by_stay ON stay_locations (stay_id, id);
  CREATE TABLE IF NOT EXISTS device_bindings (
    device_id TEXT NOT NULL, patient_id TEXT NOT NULL REFERENCES patients(id),
    from_at TEXT NOT NULL, to_at TEXT, PRIMARY KEY (device_id, from_at));
  CREATE INDEX IF NOT EXISTS device_bindings_by_patient ON device_bindings (patient_id);
  CREATE TABLE IF NOT EXISTS observations (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id),
    effective_at INTEGER NOT NULL, body TEXT NOT NULL, entered_in_error TEXT);
  CREATE INDEX IF NOT EXISTS observations_by_patient ON observations (patient_id, effective_at);
  CREATE TABLE IF NOT EXISTS hl7_messages (
    key TEXT PRIMARY KEY, received_at TEXT NOT NULL, ack TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS threshold_overrides (
    patient_id TEXT PRIMARY KEY REFERENCES patients(id), body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS trend_overrides (
    patient_id TEXT PRIMARY KEY REFERENCES patients(id), body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL, subject TEXT NOT NULL, old_value TEXT, new_value TEXT);
  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, patient_id TEXT REFERENCES patients(id), bound_at TEXT,
    registered_at TEXT NOT NULL, secret_hash TEXT);
  CREATE TABLE IF NOT EXISTS samples (
    device_id TEXT NOT NULL, ts INTEGER NOT NULL, patient_id TEXT NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (device_id, ts)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS samples_by_patient ON samples (patient_id, ts);
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, state TEXT NOT NULL, raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, body TEXT NOT NULL, ward TEXT, raised_ward TEXT);
  CREATE INDEX IF NOT EXISTS alerts_by_ward ON alerts (ward, raised_at) WHERE ward IS NOT NULL;
  CREATE INDEX IF NOT EXISTS alerts_by_raised_ward ON alerts (raised_ward, raised_at);
  CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state);
  CREATE INDEX IF NOT EXISTS alerts_by_update ON alerts (updated_at);
  CREATE INDEX IF NOT EXISTS alerts_by_patient ON alerts (patient_id, raised_at);
  CREATE TABLE IF NOT EXISTS alert_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, kind TEXT NOT NULL,
    at TEXT NOT NULL, by TEXT, body TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS alert_events_by_alert ON alert_events (alert_id, id);
  CREATE TABLE IF NOT EXISTS notification_targets (
    id TEXT PRIMARY KEY, body TEXT NOT NULL, secret TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS notification_queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, target_id TEXT NOT NULL, message_id TEXT NOT NULL,
    payload TEXT NOT NULL, queued_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL, last_error TEXT, delivered_at INTEGER);
  CREATE INDEX IF NOT EXISTS notification_queue_pending
    ON notification_queue (target_id, seq) WHERE delivered_at IS NULL;
  CREATE TABLE IF NOT EXISTS rule_state (patient_id TEXT PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, wards TEXT NOT NULL,
    password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users(username),
    started_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, ended_at INTEGER, end_reason TEXT);
  CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
  CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),
    expires_at INTEGER NOT NULL, used_at INTEGER);
  CREATE INDEX IF NOT EXISTS refresh_tokens_by_session ON refresh_tokens (session_id);
  CREATE TABLE IF NOT EXISTS hl7_marks (patient_id TEXT PRIMARY KEY, charted_until INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS hl7_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, patient_id TEXT NOT NULL, ward TEXT NOT NULL,
    control_id TEXT NOT NULL UNIQUE, message TEXT NOT NULL, queued_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_error TEXT);
  CREATE INDEX IF NOT EXISTS hl7_outbox_by_patient ON hl7_outbox (patient_id, seq);
  CREATE TABLE IF NOT EXISTS api_clients (client_id TEXT PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS spool_rejected (
    id INTEGER PRIMARY KEY, line TEXT NOT NULL, error TEXT NOT NULL, at TEXT NOT NULL);
`;

/** Version 5 added what a stay needs: a patient's identification, status and bed. */
const PATIENT_COLUMNS_OF_VERSION_5 = ['birth_date', 'sex', 'bed', 'stay_id', 'discharged_at']
  .map((column) => `ALTER TABLE patients ADD COLUMN ${column} TEXT;`)
  .concat("ALTER TABLE patients ADD COLUMN status TEXT NOT NULL DEFAULT 'admitted';")
  .join('\n');

/**
 * Version 5 also gave every patient of version 4 her stay (from her admission, on her ward) and
 * let a device be bound to no one: the devices table is rebuilt (SQLite cannot drop NOT NULL),
 * each device's binding becoming the first of its history.
 */
const STAYS_OF_VERSION_5 = `
  UPDATE patients SET stay_id = lower(hex(randomblob(16))) WHERE stay_id IS NULL;
  INSERT INTO stays (id, patient_id, started_at) SELECT stay_id, id, admitted_at FROM patients;
  INSERT INTO stay_locations (stay_id, ward, from_at) SELECT stay_id, ward, admitted_at FROM patients;
  CREATE TABLE devices_of_version_5 (
    id TEXT PRIMARY KEY, patient_id TEXT REFERENCES patients(id), bound_at TEXT,
    registered_at TEXT NOT NULL, secret_hash TEXT);
  INSERT INTO devices_of_version_5 SELECT id, patient_id, bound_at, bound_at, secret_hash FROM devices;
  INSERT INTO device_bindings (device_id, patient_id, from_at) SELECT id, patient_id, bound_at FROM devices;
  DROP TABLE devices;
  ALTER TABLE devices_of_version_5 RENAME TO devices;
`;

/**
 * Version 7: a ward's own alarms (`ward`, which concern no single patient), and the ward every
 * alarm was raised on (`raised_ward`), for the ward's alarm-load report; alarms of version 6 take
 * their patient's ward now, the best there is.
 */
const ALERT_WARDS_OF_VERSION_7 = `
  ALTER TABLE alerts ADD COLUMN ward TEXT;
  ALTER TABLE alerts ADD COLUMN raised_ward TEXT;
  UPDATE alerts SET raised_ward = (SELECT ward FROM patients WHERE patients.id = alerts.patient_id);
`;

/**
 * Opens (creating if needed) Vigil's embedded database, `vigil.db` in `dataDir`, or an in-memory
 * one for `:memory:`. WAL with synchronous=FULL: a committed transaction survives a power cut,
 * which is what acknowledging a device on commit requires (sqlite.org/pragma.html#pragma_synchronous).
 */
export function openEmbeddedDatabase(
  dataDir: string,
  options: EmbeddedDatabaseOptions = {},
): EmbeddedDatabase {
  const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, 'vigil.db');
  if (file !== ':memory:') createPrivately(dataDir, file);
  const db = connectEmbeddedDatabase(file, options);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasTables =
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'patients'").get() !== undefined;
  // Version 2 added device secrets (a device from version 1 needs a new secret before it connects);
  // version 3 added users and refresh tokens, which SCHEMA creates; version 4 sessions, to which
  // refresh tokens now belong (the tokens of version 3 are dropped: people sign in once more).
  if (hasTables && version === 1) {
    db.exec('ALTER TABLE devices ADD COLUMN secret_hash TEXT');
  } else if (hasTables && version < 2) {
    db.close();
    throw new Error(
      `${file} was made by an earlier development build (schema ${version}); move it away to start afresh`,
    );
  }
  if (hasTables && version < 4) db.exec('DROP TABLE IF EXISTS refresh_tokens');
  if (hasTables && version < 5) db.exec(PATIENT_COLUMNS_OF_VERSION_5);
  const hasAlerts =
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'alerts'").get() !== undefined;
  if (hasAlerts && version < 7) db.exec(ALERT_WARDS_OF_VERSION_7);
  db.exec(SCHEMA);
  if (hasTables && version < 5) writeTransaction(db, () => db.exec(STAYS_OF_VERSION_5))();
  db.pragma('foreign_keys = ON');
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}

/**
 * A transaction that takes the write lock at its start (`BEGIN IMMEDIATE`). Beside the writer
 * thread, a deferred one that reads and then writes fails at once with "database is locked" when
 * the other commits in between (SQLITE_BUSY_SNAPSHOT, sqlite.org/rescode.html#busy_snapshot),
 * instead of waiting its turn as the busy timeout lets it.
 */
export function writeTransaction<F extends (...args: never[]) => unknown>(
  db: EmbeddedDatabase,
  work: F,
): Database.Transaction<F>['immediate'] {
  return db.transaction(work).immediate;
}

/**
 * A connection to the embedded database file, keyed when it is encrypted. Every connection to
 * the file (this thread's, the writer's, the reader's) is opened here.
 */
export function connectEmbeddedDatabase(
  file: string,
  { encryptionKey }: EmbeddedDatabaseOptions,
): EmbeddedDatabase {
  const db = new Database(file);
  if (encryptionKey === undefined) return db;
  // SQLCipher 4's format (sqlcipher.net/sqlcipher-api), so the sqlcipher tool can open a copy.
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = '${encryptionKey.replaceAll("'", "''")}'`);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    throw new Error(
      `${file} cannot be opened with DB_ENCRYPTION_KEY (${(error as Error).message}): the key is ` +
        'wrong, or the file was written without encryption',
    );
  }
  return db;
}

/** The data folder 0700 and the database files 0600, whatever the umask. */
function createPrivately(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_FOLDER });
  try {
    chmodSync(dataDir, PRIVATE_FOLDER);
  } catch {
    // A folder Vigil does not own (a mounted volume): its files are still made private below.
  }
  // SQLite gives the -wal and -shm files the permissions of the database file.
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE));
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) chmodSync(file + suffix, PRIVATE_FILE);
  }
}
