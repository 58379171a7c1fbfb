// Proves the InfluxDB adapter meets the TelemetryStore contract against a real InfluxDB 1.6
// (Debian's influxdb, INFLUX_API=v1), and that its spool keeps what InfluxDB cannot take yet.
import { startInfluxd, type InfluxdServer } from '../../../../test/support/influxd-server';
import { openEmbeddedDatabase } from '../embedded-database';
import { describeTelemetryStoreContract } from '../telemetry-store.contract';
import { InfluxConnection, quietInfluxClientLogs } from './influx-connection';
import type { InfluxOptions } from './influx-options';
import { InfluxTelemetryStore } from './influx-telemetry.store';

let influxd: InfluxdServer;
quietInfluxClientLogs({ debug: () => undefined });
let databases = 0;

beforeAll(async () => {
  influxd = await startInfluxd();
}, 60_000);
afterAll(async () => {
  await influxd?.stop();
});

const quiet = {
  onOutage: () => undefined,
  onRecovered: () => undefined,
  onRejected: () => undefined,
};
const fastRetry = { batchLines: 1_000, minRetryDelayMs: 20, maxRetryDelayMs: 200 };

async function openStore(overrides: Partial<InfluxOptions> = {}) {
  const database = `vigil_test_${++databases}`;
  await influxd.createDatabase(database);
  const options: InfluxOptions = {
    url: influxd.url,
    api: 'v1',
    bucket: database,
    spoolMaxLines: 100_000,
    ...overrides,
  };
  const store = new InfluxTelemetryStore(
    openEmbeddedDatabase(':memory:'),
    new InfluxConnection(options),
    options,
    quiet,
    fastRetry,
  );
  return { store, database };
}

describeTelemetryStoreContract('InfluxDB 1.6 through the v1 write path', async () => {
  const { store } = await openStore();
  return { store, settle: () => store.drained() };
});

describe('InfluxTelemetryStore spool', () => {
  const sample = (seq: number) => ({
    patientId: 'p1',
    deviceId: 'd1',
    ward: 'w1',
    ts: Date.UTC(2026, 10, 28, 8, 0, seq),
    seq,
    vitals: { heartRate: 60 + seq },
  });

  it('takes writes while InfluxDB is unreachable, reports degraded, and drains them in order when it is back', async () => {
    const { store, database } = await openStore();
    try {
      await influxd.kill();
      for (let seq = 0; seq < 50; seq++) await store.writeSamples([sample(seq)]);
      expect(store.spoolDepth).toBe(50);
      expect(await store.health()).toMatchObject({
        status: 'degraded',
        adapter: 'influxdb-v1',
        spoolDepth: 50,
      });

      await influxd.restart();
      await store.drained(15_000);
      const rows = await influxd.select(
        database,
        'SELECT "seq", "heartRate", "ward" FROM "vitals"',
      );
      expect(rows.map((row) => row.seq)).toEqual([...Array(50).keys()]);
      expect(rows[49]).toMatchObject({ heartRate: 109, ward: 'w1' });
      expect(await store.health()).toMatchObject({ status: 'up', spoolDepth: 0 });
    } finally {
      await store.close();
    }
  }, 30_000);

  it('refuses writes beyond the spool cap instead of dropping anything', async () => {
    const { store } = await openStore({ spoolMaxLines: 10 });
    try {
      await influxd.kill();
      for (let seq = 0; seq < 10; seq++) await store.writeSamples([sample(seq)]);
      await expect(store.writeSamples([sample(10)])).rejects.toThrow(/spool full/);
      expect(await store.health()).toMatchObject({ status: 'down', spoolDepth: 10 });
    } finally {
      await influxd.restart();
      await store.close();
    }
  }, 30_000);

  it('sets a line InfluxDB refuses aside and delivers the rest of its batch', async () => {
    const { store, database } = await openStore();
    try {
      // A string heartRate in the same shard makes InfluxDB 1.x refuse float heartRates (HTTP 400).
      await influxd.writeLines(
        database,
        `vitals,device=d0,patient=p0 heartRate="oops" ${sample(0).ts}`,
      );
      const spo2Only = (seq: number) => ({ ...sample(seq), vitals: { spo2: 95 } });
      await store.writeSamples([spo2Only(1), spo2Only(2), sample(3), spo2Only(4), spo2Only(5)]);
      await store.drained();
      const rows = await influxd.select(
        database,
        `SELECT "seq" FROM "vitals" WHERE "patient" = 'p1'`,
      );
      expect(rows.map((row) => row.seq)).toEqual([1, 2, 4, 5]);
      expect(store.spoolDepth).toBe(0);
    } finally {
      await store.close();
    }
  }, 30_000);
});
