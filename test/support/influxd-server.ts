import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

// Beside the sources under Jest; from the repository root when compiled (npm run bench).
const TEMPLATE = [join(__dirname, '../influxdb'), join(process.cwd(), 'test/influxdb')]
  .map((folder) => join(folder, 'influxd-1.x.conf.template'))
  .find((file) => existsSync(file)) as string;

/** A real InfluxDB 1.x server (Debian's `influxdb` package) on loopback, owned by one test file. */
export interface InfluxdServer {
  readonly url: string;
  /** Kills the server the hard way, as a crash or power cut would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  createDatabase(name: string): Promise<void>;
  /** Writes raw line protocol (millisecond timestamps), bypassing Vigil. */
  writeLines(database: string, lines: string): Promise<void>;
  /** Runs InfluxQL and returns the first statement's rows as objects. */
  select(database: string, influxQl: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

async function waitForPing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`influxd exited with ${child.exitCode}:\n${log()}`);
    const ok = await fetch(`${url}/ping`).then(
      (response) => response.status === 204,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`influxd did not answer /ping within 30 s:\n${log()}`);
}

export async function startInfluxd(): Promise<InfluxdServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-influxd-'));
  const httpPort = await freePort();
  const configFile = join(dataDir, 'influxd.conf');
  writeFileSync(
    configFile,
    readFileSync(TEMPLATE, 'utf8')
      .replaceAll('${HTTP_PORT}', String(httpPort))
      .replaceAll('${RPC_PORT}', String(await freePort()))
      .replaceAll('${DATA_DIR}', dataDir),
  );
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess;
  let output = '';

  const launch = async () => {
    output = '';
    child = spawn('influxd', ['-config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new Error('influxd is not installed: apt-get install influxdb (.ci/run does)')
            : error,
        ),
      );
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await spawned;
    await waitForPing(url, child, () => output);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const query = async (database: string, influxQl: string, method: 'GET' | 'POST') => {
    const params = new URLSearchParams({ db: database, q: influxQl, epoch: 'ms' });
    const response = await fetch(`${url}/query?${params}`, { method });
    const body = (await response.json()) as {
      results: { error?: string; series?: { columns: string[]; values: unknown[][] }[] }[];
    };
    if (body.results[0]?.error) throw new Error(body.results[0].error);
    return body;
  };

  await launch();
  return {
    url,
    kill,
    restart: launch,
    async createDatabase(name) {
      await query('', `CREATE DATABASE "${name}"`, 'POST');
    },
    async writeLines(database, lines) {
      const response = await fetch(`${url}/write?db=${encodeURIComponent(database)}&precision=ms`, {
        method: 'POST',
        body: lines,
      });
      if (response.status !== 204)
        throw new Error(`write answered ${response.status}: ${await response.text()}`);
    },
    async select(database, influxQl) {
      const body = await query(database, influxQl, 'GET');
      return (body.results[0].series ?? []).flatMap((series) =>
        series.values.map((values) =>
          Object.fromEntries(series.columns.map((column, i) => [column, values[i]])),
        ),
      );
    },
    async stop() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
