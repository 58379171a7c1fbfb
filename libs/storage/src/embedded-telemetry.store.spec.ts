// Proves the embedded SQLite adapter meets the TelemetryStore contract (plain and encrypted),
// survives a reopen, keeps its files private, and with a key leaves no patient data readable.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase, type EmbeddedDatabaseOptions } from './embedded-database';
import { EmbeddedHistoryReader } from './embedded-history-reader';
import { EmbeddedWriter } from './embedded-writer';
import { EmbeddedRegistryStore } from './embedded-registry.store';
import { EmbeddedTelemetryStore } from './embedded-telemetry.store';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

/** A store on its own database, writer and reader, as the storage module opens them. */
function openStore(dataDir: string, options: EmbeddedDatabaseOptions = {}) {
  const db = openEmbeddedDatabase(dataDir, options);
  const writer = new EmbeddedWriter(db, options);
  const reader = new EmbeddedHistoryReader(db, options);
  return {
    db,
    store: new EmbeddedTelemetryStore(db, writer, reader),
    settle: async () => undefined,
    dispose: async () => {
      await Promise.all([writer.close(), reader.close()]);
      db.close();
    },
  };
}

describeTelemetryStoreContract('embedded (SQLite, in memory)', async () => openStore(':memory:'));

const diskStores = mkdtempSync(join(tmpdir(), 'vigil-store-contract-'));
let diskStoreCount = 0;
afterAll(() => rmSync(diskStores, { recursive: true, force: true }));

// On disk the commits run on the writer thread.
describeTelemetryStoreContract('embedded (SQLite, on disk, writer thread)', async () =>
  openStore(join(diskStores, String((diskStoreCount += 1)))),
);

describeTelemetryStoreContract('embedded (SQLite, on disk, encrypted)', async () =>
  openStore(join(diskStores, String((diskStoreCount += 1))), { encryptionKey: 'contract-key' }),
);

describe('EmbeddedTelemetryStore on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('still has an acknowledged sample after the database is closed and reopened', async () => {
    const first = openStore(dir);
    await first.store.writeSamples([
      { patientId: 'p1', deviceId: 'd1', ts: 1_000, seq: 1, vitals: { spo2: 96 } },
    ]);
    await first.store.close();
    await first.dispose();
    const second = openStore(dir);
    expect(await second.store.latestSample('p1')).toMatchObject({ seq: 1, vitals: { spo2: 96 } });
    await second.store.close();
    await second.dispose();
  });

  it('creates its folder 0700 and its files 0600', async () => {
    const folder = join(dir, 'private');
    const { store, dispose } = openStore(folder);
    await store.writeSamples([{ patientId: 'p1', deviceId: 'd1', ts: 1, seq: 1, vitals: {} }]);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const file of ['vigil.db', 'vigil.db-wal', 'vigil.db-shm'])
      expect([file, statSync(join(folder, file)).mode & 0o777]).toEqual([file, 0o600]);
    await dispose();
  });

  /** Writes a named patient and a distinctive vital, and answers every byte of the files. */
  async function keptBytes(folder: string, options: EmbeddedDatabaseOptions): Promise<string> {
    const { db, store, dispose } = openStore(folder, options);
    await new EmbeddedRegistryStore(db).addPatient(
      {
        id: 'p-enc',
        name: 'Zebulon Quixote',
        identifiers: [],
        status: 'admitted',
        ward: 'w',
        stayId: 's-enc',
        admittedAt: '2026-12-02T00:00:00Z',
        spo2Scale: 1,
      },
      { stayId: 's-enc', at: '2026-12-02T00:00:00Z', location: { ward: 'w' } },
      { at: '2026-12-02T00:00:00Z', actor: 'test', action: 'patient.admitted', subject: 'p-enc' },
    );
    await store.writeSamples([
      { patientId: 'p-enc', deviceId: 'd-enc', ts: 5_000, seq: 1, vitals: { heartRate: 187.25 } },
    ]);
    const files = ['vigil.db', 'vigil.db-wal'].map((name) => join(folder, name));
    const bytes = files.filter(existsSync).map((file) => readFileSync(file).toString('latin1'));
    await dispose();
    return bytes.join('');
  }

  it('with a key, keeps no patient name or vital value readable in the database or its WAL', async () => {
    const plain = await keptBytes(join(dir, 'plain'), {});
    // The same writes without a key are readable: what the encrypted file must not show.
    expect(plain).toContain('Zebulon Quixote');
    expect(plain).toContain('187.25');
    const folder = join(dir, 'encrypted');
    const encrypted = await keptBytes(folder, { encryptionKey: 'correct horse battery staple' });
    expect(encrypted).not.toContain('Zebulon');
    expect(encrypted).not.toContain('187.25');
    expect(encrypted).not.toContain('SQLite format 3');
    expect(() => openEmbeddedDatabase(folder)).toThrow(/not a database/);
    expect(() => openEmbeddedDatabase(folder, { encryptionKey: 'wrong' })).toThrow(
      /cannot be opened with DB_ENCRYPTION_KEY/,
    );
    const reopened = openStore(folder, { encryptionKey: 'correct horse battery staple' });
    expect(await reopened.store.latestSample('p-enc')).toMatchObject({
      vitals: { heartRate: 187.25 },
    });
    await reopened.dispose();
  });
});
