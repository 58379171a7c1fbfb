import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { launchServer, waitUntilReady, type ServerProcess } from './server-process';

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
  let server: ServerProcess;
  const launch = async () => {
    server = await launchServer('influxd', ['-config', configFile], 'influxdb');
    await waitUntilReady(server, 'influxd', () =>
      fetch(`${url}/ping`).then(
        (response) => response.status === 204,
        () => false,
      ),
    );
  };
  const kill = () => server.kill();
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
