import { spawn, type ChildProcess } from 'node:child_process';

/** A server process a test started: its output so far, for the error when it does not come up. */
export interface ServerProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** Kills it the hard way, as a crash or power cut would, and waits for its end. */
  kill(): Promise<void>;
}

/**
 * Starts a server from Debian's packages; a missing command is reported with the package that
 * provides it (`.ci/run` installs them all).
 */
export async function launchServer(
  command: string,
  args: readonly string[],
  debianPackage: string,
): Promise<ServerProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = serverProcess(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${command} is not installed: apt-get install ${debianPackage} (.ci/run does)`,
            )
          : error,
      ),
    );
  });
  return server;
}

/** Keeps a spawned server's output, and kills it when asked. */
export function serverProcess(child: ChildProcess): ServerProcess {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => output,
    exited,
    async kill() {
      if (exited()) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    },
  };
}

/** Waits until `ready` answers true, or fails with the server's output. */
export async function waitUntilReady(
  server: ServerProcess,
  name: string,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exited())
      throw new Error(`${name} exited with ${server.child.exitCode}:\n${server.output()}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not come up within ${timeoutMs / 1000} s:\n${server.output()}`);
}
