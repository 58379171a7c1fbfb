import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { BatchedSender } from '../workers/batched-sender';
import type {
  ConnectionHolder,
  EdgeAnswer,
  EdgeQuestion,
  EdgeRequest,
  ForwardedRequest,
  OwnerToEdge,
  WithoutRef,
} from '../workers/edge-messages';

/** What one node asks or tells another over their link. */
export type PeerRequest = EdgeRequest | ForwardedRequest;

/**
 * The link between two nodes of a cluster: a node hands the node that owns a device's patient
 * what that device's connection here asks and sends, as an edge worker hands its own node (the
 * same requests and answers), one JSON message a line over TCP. A link opens with a challenge:
 * the connecting node proves it knows the cluster's key (HMAC of a fresh nonce) before anything
 * else is read.
 */

/** A line longer than this ends the link: no peer sends one, and memory stays bounded. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;
/** A peer that has not proved itself within this is cut off. */
const HANDSHAKE_TIMEOUT_MS = 5_000;

type Handshake =
  | { readonly kind: 'challenge'; readonly nonce: string }
  | { readonly kind: 'hello'; readonly node: string; readonly proof: string }
  | { readonly kind: 'welcome' };

type ToOwner = { readonly kind: 'requests'; readonly requests: readonly PeerRequest[] };

const proofOf = (key: string, nonce: string) =>
  createHmac('sha256', key).update(`vigil peer link ${nonce}`).digest();

/** Reads the socket's lines as JSON, ending the socket on a line too long or not JSON. */
function onLines(socket: Socket, handle: (message: unknown) => void): void {
  const lines = createInterface({ input: socket, crlfDelay: Infinity });
  // The socket's own error is handled where it is made; its reader must not rethrow it.
  lines.on('error', () => undefined);
  let pending = 0;
  socket.on('data', (chunk: Buffer) => {
    const newline = chunk.lastIndexOf(10);
    pending = newline === -1 ? pending + chunk.length : chunk.length - newline - 1;
    if (pending > MAX_LINE_BYTES) socket.destroy(new Error('peer line too long'));
  });
  lines.on('line', (line) => {
    try {
      handle(JSON.parse(line) as unknown);
    } catch {
      socket.destroy(new Error('peer sent a line that is not JSON'));
    }
  });
}

function write(socket: Socket, message: unknown): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

/** The owning node's side of one link: a holder of devices, as an edge worker is. */
export interface PeerHolder extends ConnectionHolder {
  readonly node: string;
}

export interface PeerLinkServerOptions {
  readonly key: string;
  readonly host?: string;
  readonly port: number;
  /** A peer proved itself: serve its requests; `ended` once its link closes. */
  readonly joined: (peer: PeerHolder) => {
    request: (request: PeerRequest) => void;
    ended: () => void;
  };
}

/** The other nodes' links, served; `close` ends them all. */
export interface PeerLinkServer {
  close(): Promise<void>;
}

/** Listens for the other nodes' links. */
export async function listenForPeers(options: PeerLinkServerOptions): Promise<PeerLinkServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const nonce = randomBytes(16).toString('base64');
    const timer = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);
    let served: ReturnType<PeerLinkServerOptions['joined']> | undefined;
    write(socket, { kind: 'challenge', nonce } satisfies Handshake);
    onLines(socket, (message) => {
      if (served) {
        const batch = message as ToOwner;
        if (batch.kind === 'requests')
          for (const request of batch.requests) served.request(request);
        return;
      }
      const hello = message as Partial<Extract<Handshake, { kind: 'hello' }>>;
      const proof = Buffer.from(typeof hello.proof === 'string' ? hello.proof : '', 'base64');
      const expected = proofOf(options.key, nonce);
      if (
        hello.kind !== 'hello' ||
        typeof hello.node !== 'string' ||
        proof.length !== expected.length ||
        !timingSafeEqual(proof, expected)
      )
        return void socket.destroy();
      clearTimeout(timer);
      const peer: PeerHolder = {
        node: hello.node,
        answers: new BatchedSender((answers) =>
          write(socket, { kind: 'answers', answers } satisfies OwnerToEdge),
        ),
        tell: (reply) => write(socket, reply),
      };
      served = options.joined(peer);
      write(socket, { kind: 'welcome' } satisfies Handshake);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      served?.ended();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/**
 * This node's link to one other node: asks it (as the owner of a device's patient) and tells it
 * what devices connected here do. Opened when first needed and again after it closes; what was
 * asked and not answered when it closes fails, so the device is not acknowledged and resends.
 */
export class PeerLinkClient {
  private socket?: Socket;
  private ready = false;
  private readonly pending = new Map<number, (answer: EdgeAnswer) => void>();
  private readonly queued: PeerRequest[] = [];
  private nextRef = 1;
  private readonly outbox = new BatchedSender<PeerRequest>((requests) => this.flush(requests));

  constructor(
    private readonly address: string,
    private readonly node: string,
    private readonly key: string,
    /** The owner asks this node to close a device's connection (one session per device). */
    private readonly disconnect: (deviceId: string) => void,
  ) {}

  ask(question: WithoutRef<EdgeQuestion | ForwardedRequest>): Promise<EdgeAnswer> {
    const ref = this.nextRef++;
    return new Promise<EdgeAnswer>((resolve) => {
      this.pending.set(ref, resolve);
      this.send({ ...question, ref } as PeerRequest);
    });
  }

  tell(request: Exclude<EdgeRequest, EdgeQuestion>): void {
    this.send(request);
  }

  close(): void {
    this.socket?.destroy();
  }

  private send(request: PeerRequest): void {
    this.open();
    if (this.ready) this.outbox.send(request);
    else this.queued.push(request);
  }

  private flush(requests: readonly PeerRequest[]): void {
    if (this.socket && this.ready) write(this.socket, { kind: 'requests', requests });
  }

  private open(): void {
    if (this.socket) return;
    const [host, port] = splitAddress(this.address);
    const socket = createConnection({ host, port, noDelay: true });
    this.socket = socket;
    socket.on('error', () => undefined);
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => {
      if (!this.ready) socket.destroy();
    });
    onLines(socket, (message) => {
      const received = message as Handshake | OwnerToEdge;
      switch (received.kind) {
        case 'challenge':
          return write(socket, {
            kind: 'hello',
            node: this.node,
            proof: proofOf(this.key, received.nonce).toString('base64'),
          } satisfies Handshake);
        case 'welcome':
          this.ready = true;
          socket.setTimeout(0);
          for (const request of this.queued.splice(0)) this.outbox.send(request);
          return;
        case 'answers':
          for (const answer of received.answers) {
            const resolve = this.pending.get(answer.ref);
            this.pending.delete(answer.ref);
            resolve?.(answer);
          }
          return;
        case 'disconnect':
          return this.disconnect(received.deviceId);
        default:
          return;
      }
    });
    socket.once('close', () => {
      this.socket = undefined;
      this.ready = false;
      this.queued.length = 0;
      for (const resolve of this.pending.values())
        resolve({ ref: 0, failed: `the node at ${this.address} is gone` });
      this.pending.clear();
    });
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number(address.slice(colon + 1))];
}
