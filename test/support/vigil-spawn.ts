import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const VIGIL_MAIN = 'dist/server/apps/server/src/main.js';

export interface SpawnedVigil {
  readonly child: ChildProcess;
  /** `https` when TLS_CERT_FILE is given. */
  readonly httpUrl: string;
  /** Plain MQTT; with TLS_CERT_FILE, MQTT over TLS is on the MQTTS_PORT given. */
  readonly mqttUrl: string;
  readonly dataDir: string;
}

/**
 * The built server (npm run build) started as `npm start` starts it, on loopback ports of its
 * own (or those `env` names), with a fresh data folder; `env` adds to and overrides that. Its output is piped, for the
 * caller to keep. Tests and the benchmarks start Vigil this one way.
 */
export async function spawnVigil(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<SpawnedVigil> {
  const httpPort = env.HTTP_PORT ? Number(env.HTTP_PORT) : await freePort();
  const mqttPort = env.MQTT_PORT ? Number(env.MQTT_PORT) : await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-process-'));
  const child = spawn(process.execPath, [...nodeArgs, VIGIL_MAIN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Not Jest's options (experimental VM modules): Vigil runs as it does in production.
      NODE_OPTIONS: '',
      HTTP_PORT: String(httpPort),
      MQTT_PORT: String(mqttPort),
      BIND_ADDRESS: '127.0.0.1',
      DATA_DIR: dataDir,
      ...env,
    },
  });
  return {
    child,
    httpUrl: `${env.TLS_CERT_FILE ? 'https' : 'http'}://127.0.0.1:${httpPort}`,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    dataDir,
  };
}
