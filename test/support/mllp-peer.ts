import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { launchServer, waitUntilReady, type ServerProcess } from './server-process';

/** A message the peer received and acknowledged. */
export interface ReceivedHl7 {
  readonly controlId: string;
  /** Segments separated by carriage returns. */
  readonly message: string;
}

/**
 * An EHR's MLLP receiver nobody here wrote: python-hl7's asyncio MLLP server (Debian's
 * python3-hl7) run by test/support/mllp_peer.py, on a loopback port it keeps across restarts.
 */
export interface MllpPeer {
  readonly port: number;
  /** What it acknowledged, in the order received. */
  received(): ReceivedHl7[];
  /** Stops it, as an EHR outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same port; `refuse` messages are answered AE first. */
  start(refuse?: number): Promise<void>;
}

export interface MllpPeerOptions {
  /** Answer AE to this many messages first. */
  readonly refuse?: number;
  /** Listen over TLS with this certificate and key (PEM files). */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** From the repository's root, where tests and benchmarks run (a build does not copy it). */
const PEER_SCRIPT = resolve('test/support/mllp_peer.py');

export async function startMllpPeer(
  outfile: string,
  options: MllpPeerOptions = {},
): Promise<MllpPeer> {
  const port = await freePort();
  let server: ServerProcess | undefined;
  const peer: MllpPeer = {
    port,
    received: () =>
      existsSync(outfile)
        ? readFileSync(outfile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as ReceivedHl7)
        : [],
    async stop() {
      await server?.kill();
      server = undefined;
    },
    async start(refuseFirst = 0) {
      const running = await launchServer(
        '/usr/bin/python3',
        [
          PEER_SCRIPT,
          String(port),
          outfile,
          ...(refuseFirst > 0 ? ['--refuse', String(refuseFirst)] : []),
          ...(options.tls ? ['--tls', options.tls.cert, options.tls.key] : []),
        ],
        'python3-hl7',
      );
      server = running;
      await waitUntilReady(
        running,
        'mllp_peer.py',
        async () => running.output().includes('listening'),
        15_000,
      );
    },
  };
  await peer.start(options.refuse);
  return peer;
}
