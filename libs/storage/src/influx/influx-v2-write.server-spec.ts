// Proves the v2 write path (the client's own /api/v2/write, with org, bucket and token) against a
// real server that speaks it: VictoriaMetrics. It answers no InfluxQL, so reads are not checked here.
import {
  startVictoriaMetrics,
  type VictoriaMetricsServer,
} from '../../../../test/support/victoria-metrics-server';
import { openEmbeddedDatabase } from '../embedded-database';
import { InfluxConnection, quietInfluxClientLogs } from './influx-connection';
import type { InfluxOptions } from './influx-options';
import { InfluxTelemetryStore } from './influx-telemetry.store';

describe('InfluxTelemetryStore over the v2 write API (VictoriaMetrics)', () => {
  let victoria: VictoriaMetricsServer;
  quietInfluxClientLogs({ debug: () => undefined });

  beforeAll(async () => {
    victoria = await startVictoriaMetrics();
  }, 60_000);
  afterAll(async () => {
    await victoria?.stop();
  });

  it('delivers every spooled sample with its tags, fields and millisecond timestamp', async () => {
    const options: InfluxOptions = {
      url: victoria.url,
      api: 'v2',
      org: 'vigil',
      bucket: 'vitals',
      token: 'dev-token',
      spoolMaxLines: 10_000,
    };
    const quiet = {
      onOutage: () => undefined,
      onRecovered: () => undefined,
      onRejected: () => undefined,
    };
    const store = new InfluxTelemetryStore(
      openEmbeddedDatabase(':memory:'),
      new InfluxConnection(options),
      options,
      quiet,
    );
    const base = Date.UTC(2026, 10, 28, 8, 0, 0);
    try {
      for (let seq = 0; seq < 300; seq++) {
        await store.writeSamples([
          {
            patientId: 'p-v',
            deviceId: 'd-v',
            ward: 'w-v',
            ts: base + seq * 1000,
            seq,
            vitals: { heartRate: 60 + (seq % 40), spo2: 97 },
          },
        ]);
      }
      await store.drained();
      const series = await victoria.exportSeries('vitals_');
      const heartRate = series.find((s) => s.metric.__name__ === 'vitals_heartRate');
      expect(heartRate?.metric).toEqual({
        __name__: 'vitals_heartRate',
        patient: 'p-v',
        device: 'd-v',
        ward: 'w-v',
      });
      expect(heartRate?.timestamps).toHaveLength(300);
      expect(heartRate?.timestamps[299]).toBe(base + 299_000);
      expect(heartRate?.values.slice(0, 3)).toEqual([60, 61, 62]);
      expect(series.find((s) => s.metric.__name__ === 'vitals_seq')?.values[299]).toBe(299);
    } finally {
      await store.close();
    }
  }, 30_000);
});
