import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { spawnVigil } from '../test/support/vigil-spawn';

export interface RunningServer {
  readonly name: 'aedes' | 'vigil';
  readonly pid: number;
  readonly mqttUrl: string;
  readonly httpUrl?: string;
  readonly dataDir?: string;
  /** Set when the process ended by itself (a crash): its exit code or signal, and last words. */
  crashed(): string | undefined;
  stop(): Promise<void>;
}

export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';
const BARE_AEDES = join(__dirname, 'bare-aedes.js');

function watch(child: ChildProcess, logFile: string) {
  let ended: string | undefined;
  let tail = '';
  const log = createWriteStream(logFile);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-2_000);
    });
  }
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = `exit ${code ?? signal}; last output: ${tail.trim().split('\n').slice(-3).join(' | ')}`;
      log.end();
      resolve();
    }),
  );
  let stopping = false;
  return {
    crashed: () => (stopping ? undefined : ended),
    async stop() {
      stopping = true;
      if (!ended) child.kill('SIGTERM');
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (!ended) child.kill('SIGKILL');
      await exit;
    },
  };
}

/** The bare broker, as a child process. */
export async function startBareAedes(logDir: string): Promise<RunningServer> {
  const child = fork(BARE_AEDES, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`bare aedes exited ${code}`)));
  });
  const lifecycle = watch(child, join(logDir, `aedes-${child.pid}.log`));
  return {
    name: 'aedes',
    pid: child.pid as number,
    mqttUrl: `mqtt://127.0.0.1:${port}`,
    ...lifecycle,
  };
}

/** Vigil as `npm start` runs it (the built server), with the embedded store in a fresh folder. */
export async function startVigil(
  logDir: string,
  env: Record<string, string>,
): Promise<RunningServer> {
  // BENCH_VIGIL_NODE_ARGS adds Node options, e.g. --cpu-prof, to profile Vigil under load.
  const nodeArgs = process.env.BENCH_VIGIL_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const { child, httpUrl, mqttUrl, dataDir } = await spawnVigil(
    { ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, ...env },
    nodeArgs,
  );
  const lifecycle = watch(child, join(logDir, `vigil-${child.pid}.log`));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const crash = lifecycle.crashed();
    if (crash) throw new Error(`Vigil did not start: ${crash}`);
    const health = await fetch(`${httpUrl}/health`).catch(() => undefined);
    if (health?.ok) break;
    if (Date.now() > deadline) throw new Error('Vigil did not answer /health within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    name: 'vigil',
    pid: child.pid as number,
    mqttUrl,
    httpUrl,
    dataDir,
    ...lifecycle,
  };
}
