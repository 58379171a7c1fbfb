import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

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
  let output = '';
  const child: ChildProcess = spawn(
    'victoria-metrics',
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      '-retentionPeriod=100y',
      '-loggerLevel=ERROR',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('victoria-metrics is not installed: apt-get install victoria-metrics')
          : error,
      ),
    );
  });
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`victoria-metrics did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
