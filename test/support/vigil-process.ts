import { execFileSync } from 'node:child_process';
import { TEST_ADMIN } from './vigil-harness';
import { serverProcess, waitUntilReady, type ServerProcess } from './server-process';
import { spawnVigil } from './vigil-spawn';

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

/** Vigil as `npm start` runs it, ready once HTTP listens (after every edge worker does). */
export async function startVigilProcess(env: Record<string, string>): Promise<VigilProcess> {
  const { child, httpUrl, mqttUrl, dataDir } = await spawnVigil({
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_FORMAT: 'json',
    ...env,
  });
  const server = serverProcess(child);
  await waitUntilReady(server, 'Vigil', async () =>
    server.output().includes('HTTP and Socket.IO on port'),
  );
  return {
    server,
    httpUrl,
    mqttUrl,
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
