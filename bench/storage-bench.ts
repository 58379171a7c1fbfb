// npm run bench: the storage figures of the README, measured on this machine against a real
// InfluxDB 1.x (Debian's influxdb, started here on loopback) through Vigil's own write path.
import type { Sample } from '@vigil/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_DRAINER_OPTIONS,
  InfluxConnection,
  InfluxTelemetryStore,
  EmbeddedHistoryReader,
  EmbeddedWriter,
  openEmbeddedDatabase,
  quietInfluxClientLogs,
  EmbeddedTelemetryStore,
  type InfluxOptions,
  type TelemetryStore,
} from '@vigil/storage';
import { startInfluxd } from '../test/support/influxd-server';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200_000);
const DEVICES = 1_000;
/** Writes in flight at once, as many devices' messages arrive together. */
const CONCURRENCY = 1_000;

function sampleAt(index: number): Sample {
  const device = index % DEVICES;
  return {
    patientId: `p-${device}`,
    deviceId: `d-${device}`,
    ward: `ward-${device % 20}`,
    ts: Date.UTC(2026, 10, 1) + Math.floor(index / DEVICES) * 1000,
    seq: Math.floor(index / DEVICES),
    vitals: {
      heartRate: 60 + (index % 50),
      respRate: 14,
      spo2: 97,
      temperature: 36.8,
      systolicBp: 120,
      diastolicBp: 80,
    },
    battery: 80,
  };
}

/** Writes SAMPLES one-sample messages, CONCURRENCY at a time; returns samples per second. */
async function writeAll(store: TelemetryStore): Promise<number> {
  const started = process.hrtime.bigint();
  for (let first = 0; first < SAMPLES; first += CONCURRENCY) {
    const writes: Promise<void>[] = [];
    for (let i = first; i < Math.min(SAMPLES, first + CONCURRENCY); i++)
      writes.push(store.writeSamples([sampleAt(i)]));
    await Promise.all(writes);
  }
  return SAMPLES / seconds(started);
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')} samples/s`;
const quiet = {
  onOutage: () => undefined,
  onRecovered: () => undefined,
  onRejected: () => undefined,
};

async function main(): Promise<void> {
  quietInfluxClientLogs({ debug: () => undefined });
  const work = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const influxd = await startInfluxd();
  const rows: [string, string, string][] = [];
  try {
    const db = openEmbeddedDatabase(join(work, 'embedded'));
    const writer = new EmbeddedWriter(db);
    const reader = new EmbeddedHistoryReader(db);
    const embedded = new EmbeddedTelemetryStore(db, writer, reader);
    rows.push([
      'embedded store, write (SQLite WAL, synchronous=FULL, writer thread)',
      rate(await writeAll(embedded)),
      'acknowledged = committed',
    ]);
    await embedded.close();
    await Promise.all([writer.close(), reader.close()]);
    db.close();

    await influxd.createDatabase('bench');
    const options: InfluxOptions = {
      url: influxd.url,
      api: 'v1',
      bucket: 'bench',
      spoolMaxLines: 10_000_000,
    };
    const batch = `${DEFAULT_DRAINER_OPTIONS.batchLines} lines per request`;

    await influxd.kill();
    // The stores write their spools into these; closing them is the owner's job, as in Vigil.
    const spoolDb = openEmbeddedDatabase(join(work, 'spool'));
    const spooled = new InfluxTelemetryStore(
      spoolDb,
      new InfluxConnection(options),
      options,
      quiet,
    );
    rows.push([
      'spool write, InfluxDB down',
      rate(await writeAll(spooled)),
      'acknowledged = in the spool',
    ]);
    await influxd.restart();
    const drainStarted = process.hrtime.bigint();
    await spooled.drained(600_000);
    rows.push(['spool drain into InfluxDB', rate(SAMPLES / seconds(drainStarted)), batch]);
    await spooled.close();
    spoolDb.close();

    await influxd.createDatabase('bench_live');
    const live = { ...options, bucket: 'bench_live' };
    const liveDb = openEmbeddedDatabase(join(work, 'live'));
    const store = new InfluxTelemetryStore(liveDb, new InfluxConnection(live), live, quiet);
    const sustainedStarted = process.hrtime.bigint();
    await writeAll(store);
    await store.drained(600_000);
    rows.push([
      'sustained write into InfluxDB, InfluxDB up',
      rate(SAMPLES / seconds(sustainedStarted)),
      `spool + drain, ${batch}`,
    ]);
    await store.close();
    liveDb.close();
  } finally {
    await influxd.stop();
    rmSync(work, { recursive: true, force: true });
  }

  console.log(
    `\nVigil storage benchmark: ${SAMPLES.toLocaleString('en-US')} samples (6 vitals each) from ${DEVICES} devices, ${CONCURRENCY} writes in flight`,
  );
  console.log(
    `Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, InfluxDB 1.x from Debian on loopback, one process for both\n`,
  );
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value, note] of rows)
    console.log(`${name.padEnd(width)}  ${value.padStart(18)}  ${note}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
