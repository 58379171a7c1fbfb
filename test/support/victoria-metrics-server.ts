import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { launchServer, waitUntilReady } from './server-process';

/**
 * A real VictoriaMetrics (Debian's `victoria-metrics`), which accepts InfluxDB line protocol at
 * `/api/v2/write`: the v2 write path, where no InfluxDB 2.x server can be installed.
 */
export interface VictoriaMetricsServer {
  readonly url: string;
  /** Every stored series whose name starts with `prefix`, as VictoriaMetrics exports them. */
  exportSeries(
    prefix: string,
  ): Promise<{ metric: Record<string, string>; values: number[]; timestamps: number[] }[]>;
  stop(): Promise<void>;
}

export async function startVictoriaMetrics(): Promise<VictoriaMetricsServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await launchServer(
    'victoria-metrics',
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      '-retentionPeriod=100y',
      '-loggerLevel=ERROR',
    ],
    'victoria-metrics',
  );
  await waitUntilReady(server, 'victoria-metrics', () =>
    fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    ),
  );
  return {
    url,
    async exportSeries(prefix) {
      await fetch(`${url}/internal/force_flush`);
      const params = new URLSearchParams({ 'match[]': `{__name__=~"${prefix}.*"}`, start: '0' });
      const text = await (await fetch(`${url}/api/v1/export?${params}`)).text();
      return text
        .split('\n')
        .filter(Boolean)
        .map(
          (line) =>
            JSON.parse(line) as {
              metric: Record<string, string>;
              values: number[];
              timestamps: number[];
            },
        );
    },
    async stop() {
      await server.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
