import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { launchServer, waitUntilReady, type ServerProcess } from './server-process';

/** A real PostgreSQL (Debian's `postgresql`) in a folder of the test's own, on a loopback port. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, trusted locally. */
  readonly url: string;
  /** Kills the server the hard way, as a crash or power cut would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Debian installs each major version's programs under /usr/lib/postgresql/<major>/bin. */
function binaries(): string {
  const root = '/usr/lib/postgresql';
  const major = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!major)
    throw new Error('postgresql is not installed: apt-get install postgresql (.ci/run does)');
  return join(root, major, 'bin');
}

/**
 * initdb refuses to run as root: as root the server runs as Debian's `postgres` user, in a
 * folder given to it (setpriv executes it in place, so killing it kills the server); as anyone
 * else, as that user.
 */
function asServerUser(program: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', program, ...args]]
    : [program, args];
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binaries();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-postgres-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dataDir, uid, gid);
  }
  const [initdb, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  let server: ServerProcess;
  const launch = async () => {
    const [postgres, args] = asServerUser(join(bin, 'postgres'), [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      dataDir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    server = await launchServer(postgres, args, 'postgresql');
    const [isReady, readyArgs] = [join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]];
    await waitUntilReady(server, 'postgres', async () => {
      try {
        execFileSync(isReady, readyArgs, { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
  };
  await launch();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kill: () => server.kill(),
    restart: launch,
    async stop() {
      await server.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
