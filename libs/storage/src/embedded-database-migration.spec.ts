// A file written by version 4 (before stays) is brought forward at start-up: each patient gets a
// stay from her admission on her ward, each device's binding becomes the first of its history
// while devices may now be bound to no one, and each alarm keeps the ward it was raised on.
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedRegistryStore } from './embedded-registry.store';

const VERSION_4 = `
  CREATE TABLE patients (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, ward TEXT NOT NULL, admitted_at TEXT NOT NULL,
    spo2_scale INTEGER NOT NULL DEFAULT 1);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL, subject TEXT NOT NULL, old_value TEXT, new_value TEXT);
  CREATE TABLE devices (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), bound_at TEXT NOT NULL,
    secret_hash TEXT);
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, state TEXT NOT NULL, raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, body TEXT NOT NULL);
  INSERT INTO alerts VALUES ('a1', 'p1', 'resolved', '2026-11-30T09:00:00.000Z',
    '2026-11-30T09:01:00.000Z', '{}');
  INSERT INTO patients VALUES ('p1', 'Ann Old', 'ward-1', '2026-11-30T08:00:00.000Z', 2);
  INSERT INTO devices VALUES ('d1', 'p1', '2026-11-30T08:05:00.000Z', 'hash-of-d1');
  PRAGMA user_version = 4;
`;

describe('the embedded database, opening a file of schema version 4', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each patient her stay and each device its binding history, and lets a device be unbound', async () => {
    const old = new Database(join(dir, 'vigil.db'));
    old.exec(VERSION_4);
    old.close();

    const db = openEmbeddedDatabase(dir);
    const store = new EmbeddedRegistryStore(db);
    const [patient] = await store.listPatients();
    expect(patient).toMatchObject({
      id: 'p1',
      status: 'admitted',
      ward: 'ward-1',
      identifiers: [],
      spo2Scale: 2,
      admittedAt: '2026-11-30T08:00:00.000Z',
    });
    const [stay] = await store.listStays('p1');
    expect(stay).toEqual({
      id: patient.stayId,
      patientId: 'p1',
      start: '2026-11-30T08:00:00.000Z',
      locations: [{ ward: 'ward-1', from: '2026-11-30T08:00:00.000Z' }],
    });
    expect(await store.listDevices()).toEqual([
      {
        id: 'd1',
        patientId: 'p1',
        boundAt: '2026-11-30T08:05:00.000Z',
        registeredAt: '2026-11-30T08:05:00.000Z',
        secretHash: 'hash-of-d1',
      },
    ]);
    const audit = {
      at: '2026-12-02T00:00:00.000Z',
      actor: 't',
      action: 'device.unbound',
      subject: 'd1',
    };
    await store.unbindDevice('d1', '2026-12-02T00:00:00.000Z', audit);
    expect(await store.listBindings({ deviceId: 'd1' })).toEqual([
      {
        deviceId: 'd1',
        patientId: 'p1',
        from: '2026-11-30T08:05:00.000Z',
        to: '2026-12-02T00:00:00.000Z',
      },
    ]);
    // Version 7: her old alarms count on the ward she lies on, for its alarm-load report.
    expect(db.prepare('SELECT ward, raised_ward FROM alerts').all()).toEqual([
      { ward: null, raised_ward: 'ward-1' },
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
