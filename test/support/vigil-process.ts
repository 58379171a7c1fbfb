import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { TEST_ADMIN } from './vigil-harness';
import { serverProcess, waitUntilReady, type ServerProcess } from './server-process';

/** Vigil built (npm run build) and run as `npm start` runs it, in a process of its own. */
export interface VigilProcess {
  readonly server: ServerProcess;
  readonly httpUrl: string;
  /** Plain MQTT; with TLS_CERT_FILE, MQTT over TLS is on the MQTTS_PORT given. */
  readonly mqttUrl: string;
  readonly dataDir: string;
  /** Its edge workers' process ids, now. */
  workerPids(): number[];
  stop(): Promise<void>;
}

const VIGIL_MAIN = 'dist/server/apps/server/src/main.js';

export async function startVigilProcess(env: Record<string, string>): Promise<VigilProcess> {
  const [httpPort, mqttPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-process-'));
  const server = serverProcess(
    spawn(process.execPath, [VIGIL_MAIN], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        HTTP_PORT: String(httpPort),
        MQTT_PORT: String(mqttPort),
        BIND_ADDRESS: '127.0.0.1',
        DATA_DIR: dataDir,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        LOG_FORMAT: 'json',
        ...env,
      },
    }),
  );
  const httpUrl = `${env.TLS_CERT_FILE ? 'https' : 'http'}://127.0.0.1:${httpPort}`;
  // Logged once HTTP listens, which is after every edge worker listens.
  await waitUntilReady(server, 'Vigil', async () =>
    server.output().includes('HTTP and Socket.IO on port'),
  );
  return {
    server,
    httpUrl,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    dataDir,
    workerPids: () => childPids(server.child.pid as number),
    async stop() {
      if (server.exited()) return;
      const gone = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await gone;
    },
  };
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
