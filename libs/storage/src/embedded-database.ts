import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type EmbeddedDatabase = Database.Database;

/** Raised whenever SCHEMA changes in a way an existing file cannot follow. */
const SCHEMA_VERSION = 3;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS patients (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, ward TEXT NOT NULL, admitted_at TEXT NOT NULL,
    spo2_scale INTEGER NOT NULL DEFAULT 1);
  CREATE TABLE IF NOT EXISTS threshold_overrides (
    patient_id TEXT PRIMARY KEY REFERENCES patients(id), body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL, subject TEXT NOT NULL, old_value TEXT, new_value TEXT);
  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), bound_at TEXT NOT NULL,
    secret_hash TEXT);
  CREATE TABLE IF NOT EXISTS samples (
    device_id TEXT NOT NULL, ts INTEGER NOT NULL, patient_id TEXT NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (device_id, ts)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS samples_by_patient ON samples (patient_id, ts);
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, state TEXT NOT NULL, raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, body TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state);
  CREATE INDEX IF NOT EXISTS alerts_by_update ON alerts (updated_at);
  CREATE INDEX IF NOT EXISTS alerts_by_patient ON alerts (patient_id, raised_at);
  CREATE TABLE IF NOT EXISTS alert_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, kind TEXT NOT NULL,
    at TEXT NOT NULL, by TEXT, body TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS alert_events_by_alert ON alert_events (alert_id, id);
  CREATE TABLE IF NOT EXISTS rule_state (patient_id TEXT PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, wards TEXT NOT NULL,
    password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users(username),
    expires_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS spool_rejected (
    id INTEGER PRIMARY KEY, line TEXT NOT NULL, error TEXT NOT NULL, at TEXT NOT NULL);
`;

/**
 * Opens (creating if needed) Vigil's embedded database, `vigil.db` in `dataDir`, or an in-memory
 * one for `:memory:`. WAL with synchronous=FULL: a committed transaction survives a power cut,
 * which is what acknowledging a device on commit requires (sqlite.org/pragma.html#pragma_synchronous).
 */
export function openEmbeddedDatabase(dataDir: string): EmbeddedDatabase {
  const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, 'vigil.db');
  if (file !== ':memory:') mkdirSync(dataDir, { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasTables =
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'patients'").get() !== undefined;
  // Version 2 added device secrets (a device from version 1 needs a new secret before it connects);
  // version 3 added users and refresh tokens, which SCHEMA creates.
  if (hasTables && version === 1) {
    db.exec('ALTER TABLE devices ADD COLUMN secret_hash TEXT');
  } else if (hasTables && version < 2) {
    db.close();
    throw new Error(
      `${file} was made by an earlier development build (schema ${version}); move it away to start afresh`,
    );
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}
