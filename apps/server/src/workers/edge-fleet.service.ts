import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DeviceConnections, type EdgeWorkersReport } from '@vigil/broker';
import { IngestService } from '@vigil/ingest';
import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { ClusterLinks } from '../cluster/cluster-links';
import type { PeerLinkClient } from '../cluster/peer-link';
import type { EventLoopWindow } from '../operations/event-loop-monitor';
import { DeviceRegistry } from '../registry/device-registry';
import { BatchedSender } from './batched-sender';
import { DeviceSessions } from './device-sessions';
import {
  type ConnectionHolder,
  type EdgeAnswer,
  type EdgeRequest,
  type EdgeToOwner,
  type OwnerToEdge,
  type WithoutRef,
} from './edge-messages';

export const EDGE_FLEET_OPTIONS = Symbol('EdgeFleetOptions');

export interface EdgeFleetOptions {
  readonly workers: number;
}

/** How long a start waits for every worker to listen. */
const START_TIMEOUT_MS = 30_000;
/** A worker that died is replaced after this, doubled for each death within a minute. */
const RESPAWN_DELAY_MS = 250;
const RESPAWN_MAX_DELAY_MS = 30_000;
/** A worker asked to stop is killed after this. */
const STOP_TIMEOUT_MS = 10_000;

interface Edge extends ConnectionHolder {
  readonly index: number;
  readonly worker: Worker;
  listening: boolean;
  load?: EventLoopWindow;
}

type DeviceEvent = Extract<EdgeRequest, { kind: 'connected' | 'disconnected' }>;
/** What a worker's device does, which the owner of its patient answers. */
type RelayedRequest = Exclude<EdgeRequest, { kind: 'verify' | 'certificate' | 'rejected' }>;

/**
 * This process owns the patients (every one; on a cluster, those of its partitions); the
 * devices' connections are held by edge workers (Node's cluster shares the MQTT ports between
 * them, handing each new connection to the next). A worker asks here who a device is and hands
 * here what it sends, already parsed and validated; storing, evaluating and alerting happen
 * here, in one place, in the order received. On a cluster, what concerns a patient another node
 * owns is passed to that node over its link, and other nodes pass here what concerns ours. A
 * worker that dies is replaced; its devices count as disconnected until they reconnect.
 */
@Injectable()
export class EdgeFleet
  extends DeviceConnections
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(EdgeFleet.name);
  private readonly edges = new Map<number, Edge>();
  /** Which worker here holds each device connected to this node. */
  private readonly attached = new DeviceSessions<Edge>();
  /** Through whom each device of a patient owned here is connected (a worker, or a node's link). */
  private readonly sessions = new DeviceSessions<ConnectionHolder>();
  private readonly deaths: number[] = [];
  private stopping = false;
  private replaced = 0;
  private ports: { mqtt: number | null; mqtts: number | null } = { mqtt: null, mqtts: null };

  constructor(
    @Inject(EDGE_FLEET_OPTIONS) private readonly options: EdgeFleetOptions,
    private readonly ingest: IngestService,
    private readonly registry: DeviceRegistry,
    @Optional() private readonly cluster?: ClusterLinks,
  ) {
    super();
    // A signal to the process group reaches the workers too: their ends are no crash then.
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => (this.stopping = true));
  }

  async onApplicationBootstrap(): Promise<void> {
    cluster.setupPrimary({ exec: join(__dirname, 'edge-main.js') });
    const started = Array.from({ length: this.options.workers }, (_, index) =>
      this.untilListening(this.fork(index)),
    );
    await Promise.all(started);
    await this.cluster?.listen(
      (peer) => ({
        request: (request) => this.fromPeer(peer, request),
        ended: () => this.holderEnded(peer),
      }),
      (deviceId) => this.attached.holderOf(deviceId)?.tell({ kind: 'disconnect', deviceId }),
    );
    const { mqtt, mqtts } = this.ports;
    this.logger.log(
      `${this.options.workers} edge workers hold the devices' connections (MQTT port ${mqtt ?? 'off'}, MQTT over TLS ${mqtts ?? 'off'})`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.edges.values()].map(stop));
  }

  get isUp(): boolean {
    return [...this.edges.values()].some((edge) => edge.listening);
  }

  override edgeWorkers(): EdgeWorkersReport {
    const edges = [...this.edges.values()];
    return {
      listening: edges.filter((edge) => edge.listening).length,
      replaced: this.replaced,
      loads: edges.flatMap(({ index, load }) =>
        load
          ? [
              {
                worker: index,
                utilization: load.utilization,
                delayP99Seconds: load.delayP99Seconds,
              },
            ]
          : [],
      ),
    };
  }

  get connectedDevices(): number {
    return this.attached.size;
  }

  disconnect(deviceId: string): void {
    const holder = this.attached.holderOf(deviceId) ?? this.sessions.holderOf(deviceId);
    holder?.tell({ kind: 'disconnect', deviceId });
  }

  private fork(index: number): Edge {
    const worker = cluster.fork();
    const edge: Edge = {
      index,
      worker,
      listening: false,
      answers: new BatchedSender((answers) => send(edge, { kind: 'answers', answers })),
      tell: (message) => send(edge, message),
    };
    this.edges.set(index, edge);
    worker.on('message', (message: EdgeToOwner) => {
      if (message.kind === 'listening') {
        edge.listening = true;
        this.ports = { mqtt: message.port, mqtts: message.tlsPort };
      } else if (message.kind === 'load') edge.load = message.window;
      else for (const request of message.requests) this.fromWorker(edge, request);
    });
    worker.once('exit', (code, signal) => this.ended(edge, code, signal));
    return edge;
  }

  private untilListening(edge: Edge): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`edge worker ${edge.index} did not listen within 30 s`)),
        START_TIMEOUT_MS,
      );
      edge.worker.on('message', (message: EdgeToOwner) => {
        if (message.kind !== 'listening') return;
        clearTimeout(timer);
        resolve();
      });
      edge.worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`edge worker ${edge.index} exited (${code}) before it listened`));
      });
    });
  }

  /**
   * A worker's request: who a device is, and what it does, is answered here when this node acts
   * for her patient, else passed to the node that does.
   */
  private fromWorker(edge: Edge, request: EdgeRequest): void {
    if (request.kind === 'connected') {
      const previous = this.attached.connected(request.deviceId, edge);
      previous?.tell({ kind: 'disconnect', deviceId: request.deviceId });
    } else if (request.kind === 'disconnected') {
      if (!this.attached.disconnected(request.deviceId, edge)) return;
    }
    // Who a device is, the registry every node shares answers here.
    if (request.kind === 'verify' || request.kind === 'certificate' || request.kind === 'rejected')
      return this.serve(edge, request);
    const route = this.cluster?.routeOf(request.deviceId);
    if (route === undefined) return this.serve(edge, request);
    this.relay(edge, route, request);
  }

  /**
   * Another node's request, for a device of a patient it found owned here: served if she still
   * is; else refused (the device sends again, and reaches her owner then).
   */
  private fromPeer(peer: ConnectionHolder, request: EdgeRequest): void {
    const here = !('deviceId' in request) || this.cluster?.routeOf(request.deviceId) === undefined;
    if (here) return this.serve(peer, request);
    if ('ref' in request)
      peer.answers.send({ ref: request.ref, failed: 'her patient is owned by another node now' });
  }

  /** Passes a request on to the node that owns the device's patient; null: no node does now. */
  private relay(edge: Edge, route: PeerLinkClient | null, request: RelayedRequest): void {
    if (request.kind === 'connected' || request.kind === 'disconnected') {
      route?.tell(request);
      return;
    }
    const { ref, ...question } = request;
    if (!route) {
      edge.answers.send({ ref, failed: 'no node acts for the patient now; try again' });
      return;
    }
    void route.ask(question).then((answer) => edge.answers.send({ ...answer, ref }));
  }

  private serve(holder: ConnectionHolder, request: EdgeRequest): void {
    switch (request.kind) {
      case 'verify':
        return this.answer(
          holder,
          request.ref,
          this.registry
            .verifyDevice(
              request.deviceId,
              request.password === undefined ? undefined : Buffer.from(request.password, 'base64'),
            )
            .then((accepted) => ({ accepted })),
        );
      case 'certificate':
        return this.answer(
          holder,
          request.ref,
          Promise.resolve({ accepted: this.registry.acceptsCertificate(request.deviceId) }),
        );
      case 'readings':
        this.heardThrough(holder, request.deviceId);
        return this.answer(
          holder,
          request.ref,
          this.ingest
            .acceptReadings(request.deviceId, request.readings, request.receivedAt)
            .then((rejection) => (rejection ? { rejection } : {})),
        );
      case 'status':
        return this.answer(
          holder,
          request.ref,
          this.ingest
            .handleMessage(request.deviceId, 'status', Buffer.from(request.text))
            .then((rejection) => (rejection ? { rejection } : {})),
        );
      case 'connected':
      case 'disconnected':
        return this.deviceEvent(holder, request);
      case 'rejected':
        return this.ingest.countRejection(request.code);
    }
  }

  /**
   * A device heard from through a holder while none holds it here: its connection began before
   * this node knew (another node's link opened again, or her partition came here) and is up.
   */
  private heardThrough(holder: ConnectionHolder, deviceId: string): void {
    if (this.sessions.holderOf(deviceId) === undefined)
      this.deviceEvent(holder, { kind: 'connected', deviceId });
  }

  /** A device's connection began or ended, through a worker here or another node's link. */
  private deviceEvent(holder: ConnectionHolder, { kind, deviceId }: DeviceEvent): void {
    if (kind === 'connected') {
      this.sessions.connected(deviceId, holder)?.tell({ kind: 'disconnect', deviceId });
      this.ingest.deviceConnected(deviceId);
    } else if (this.sessions.disconnected(deviceId, holder)) {
      this.ingest.deviceDisconnected(deviceId);
    }
  }

  /** A worker here, or another node's link, is gone: the devices it held are disconnected. */
  private holderEnded(holder: ConnectionHolder): void {
    for (const deviceId of this.sessions.workerEnded(holder))
      this.ingest.deviceDisconnected(deviceId);
  }

  private answer(
    holder: ConnectionHolder,
    ref: number,
    outcome: Promise<WithoutRef<EdgeAnswer>>,
  ): void {
    outcome.then(
      (answer) => holder.answers.send({ ...answer, ref }),
      (error: unknown) =>
        holder.answers.send({
          ref,
          failed: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  private ended(edge: Edge, code: number | null, signal: string | null): void {
    edge.listening = false;
    for (const deviceId of this.attached.workerEnded(edge)) {
      const route = this.cluster?.routeOf(deviceId);
      if (route === undefined) continue;
      route?.tell({ kind: 'disconnected', deviceId });
    }
    this.holderEnded(edge);
    if (this.stopping || this.edges.get(edge.index) !== edge) return;
    const now = Date.now();
    this.deaths.push(now);
    while (this.deaths[0] < now - 60_000) this.deaths.shift();
    const delay = Math.min(RESPAWN_DELAY_MS * 2 ** (this.deaths.length - 1), RESPAWN_MAX_DELAY_MS);
    this.logger.error(
      `edge worker ${edge.index} (pid ${edge.worker.process.pid}) ended (${signal ?? code}); its devices reconnect to the others; replaced in ${delay} ms`,
    );
    setTimeout(() => {
      if (this.stopping) return;
      this.replaced += 1;
      this.fork(edge.index);
    }, delay).unref();
  }
}

function send(edge: Edge, message: OwnerToEdge): void {
  if (edge.worker.isConnected()) edge.worker.send(message, undefined, () => undefined);
}

/** Asks a worker to stop (it closes its devices' connections), and kills it when it does not. */
function stop(edge: Edge): Promise<void> {
  const { worker } = edge;
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    send(edge, { kind: 'stop' });
  });
}
