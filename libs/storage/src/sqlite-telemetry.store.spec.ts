// Proves the embedded SQLite adapter meets the TelemetryStore contract and survives a reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedWriter } from './embedded-writer';
import { SqliteTelemetryStore } from './sqlite-telemetry.store';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

/** A store on its own database and writer, as the storage module opens them. */
function openStore(dataDir: string) {
  const db = openEmbeddedDatabase(dataDir);
  const writer = new EmbeddedWriter(db);
  return {
    store: new SqliteTelemetryStore(db, writer),
    settle: async () => undefined,
    dispose: async () => {
      await writer.close();
      db.close();
    },
  };
}

describeTelemetryStoreContract('embedded (SQLite, in memory)', async () => openStore(':memory:'));

const diskStores = mkdtempSync(join(tmpdir(), 'vigil-store-contract-'));
let diskStoreCount = 0;
afterAll(() => rmSync(diskStores, { recursive: true, force: true }));

// On disk the commits run on the writer thread (the build's compiled worker).
describeTelemetryStoreContract('embedded (SQLite, on disk, writer thread)', async () =>
  openStore(join(diskStores, String((diskStoreCount += 1)))),
);

describe('SqliteTelemetryStore on disk', () => {
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
});
