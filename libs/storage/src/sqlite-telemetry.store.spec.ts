// Proves the embedded SQLite adapter meets the TelemetryStore contract and survives a reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from './embedded-database';
import { SqliteTelemetryStore } from './sqlite-telemetry.store';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

describeTelemetryStoreContract('embedded (SQLite, in memory)', async () => ({
  store: new SqliteTelemetryStore(openEmbeddedDatabase(':memory:')),
  settle: async () => undefined,
}));

describe('SqliteTelemetryStore on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('still has an acknowledged sample after the database is closed and reopened', async () => {
    const first = new SqliteTelemetryStore(openEmbeddedDatabase(dir));
    await first.writeSamples([
      { patientId: 'p1', deviceId: 'd1', ts: 1_000, seq: 1, vitals: { spo2: 96 } },
    ]);
    await first.close();
    const second = new SqliteTelemetryStore(openEmbeddedDatabase(dir));
    expect(await second.latestSample('p1')).toMatchObject({ seq: 1, vitals: { spo2: 96 } });
    await second.close();
  });
});
