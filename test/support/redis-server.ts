import { connect } from 'node:net';
import { freePort } from './free-port';
import { launchServer, waitUntilReady, type ServerProcess } from './server-process';

/** A real Redis (Debian's `redis-server`) on a loopback port, in memory, owned by one test file. */
export interface RedisServer {
  readonly url: string;
  /** Kills it the hard way, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether the port answers PING with PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let server: ServerProcess;
  const launch = async () => {
    server = await launchServer(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      'redis-server',
    );
    await waitUntilReady(server, 'redis-server', () => pong(port), 15_000);
  };
  await launch();
  const kill = () => server.kill();
  return { url: `redis://127.0.0.1:${port}`, kill, restart: launch, stop: kill };
}
