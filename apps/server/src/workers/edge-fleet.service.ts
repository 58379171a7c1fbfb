import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DeviceConnections, type EdgeWorkersReport } from '@vigil/broker';
import { IngestService } from '@vigil/ingest';
import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import type { EventLoopWindow } from '../operations/event-loop-monitor';
import { DeviceRegistry } from '../registry/device-registry';
import { BatchedSender } from './batched-sender';
import { DeviceSessions } from './device-sessions';
import {
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

interface Edge {
  readonly index: number;
  readonly worker: Worker;
  readonly answers: BatchedSender<EdgeAnswer>;
  listening: boolean;
  load?: EventLoopWindow;
}

/**
 * This process owns every patient; the devices' connections are held by edge workers (Node's
 * cluster shares the MQTT ports between them, handing each new connection to the next). A
 * worker asks here who a device is and hands here what it sends, already parsed and validated;
 * storing, evaluating and alerting happen here, in one place, in the order received. A worker
 * that dies is replaced; its devices count as disconnected until they reconnect (to any worker).
 */
@Injectable()
export class EdgeFleet
  extends DeviceConnections
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(EdgeFleet.name);
  private readonly edges = new Map<number, Edge>();
  private readonly sessions = new DeviceSessions<Edge>();
  private readonly deaths: number[] = [];
  private stopping = false;
  private replaced = 0;
  private ports: { mqtt: number | null; mqtts: number | null } = { mqtt: null, mqtts: null };

  constructor(
    @Inject(EDGE_FLEET_OPTIONS) private readonly options: EdgeFleetOptions,
    private readonly ingest: IngestService,
    private readonly registry: DeviceRegistry,
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
    return this.sessions.size;
  }

  disconnect(deviceId: string): void {
    const edge = this.sessions.holderOf(deviceId);
    if (edge) send(edge, { kind: 'disconnect', deviceId });
  }

  private fork(index: number): Edge {
    const worker = cluster.fork();
    const edge: Edge = {
      index,
      worker,
      listening: false,
      answers: new BatchedSender((answers) => send(edge, { kind: 'answers', answers })),
    };
    this.edges.set(index, edge);
    worker.on('message', (message: EdgeToOwner) => {
      if (message.kind === 'listening') {
        edge.listening = true;
        this.ports = { mqtt: message.port, mqtts: message.tlsPort };
      } else if (message.kind === 'load') edge.load = message.window;
      else for (const request of message.requests) this.serve(edge, request);
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

  private serve(edge: Edge, request: EdgeRequest): void {
    switch (request.kind) {
      case 'verify':
        return this.answer(
          edge,
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
          edge,
          request.ref,
          Promise.resolve({ accepted: this.registry.acceptsCertificate(request.deviceId) }),
        );
      case 'readings':
        return this.answer(
          edge,
          request.ref,
          this.ingest
            .acceptReadings(request.deviceId, request.readings, request.receivedAt)
            .then((rejection) => (rejection ? { rejection } : {})),
        );
      case 'status':
        return this.answer(
          edge,
          request.ref,
          this.ingest
            .handleMessage(request.deviceId, 'status', Buffer.from(request.text))
            .then((rejection) => (rejection ? { rejection } : {})),
        );
      case 'connected': {
        const previous = this.sessions.connected(request.deviceId, edge);
        if (previous) send(previous, { kind: 'disconnect', deviceId: request.deviceId });
        return this.ingest.deviceConnected(request.deviceId);
      }
      case 'disconnected':
        if (this.sessions.disconnected(request.deviceId, edge))
          this.ingest.deviceDisconnected(request.deviceId);
        return;
      case 'rejected':
        return this.ingest.countRejection(request.code);
    }
  }

  private answer(edge: Edge, ref: number, outcome: Promise<WithoutRef<EdgeAnswer>>): void {
    outcome.then(
      (answer) => edge.answers.send({ ...answer, ref }),
      (error: unknown) =>
        edge.answers.send({ ref, failed: error instanceof Error ? error.message : String(error) }),
    );
  }

  private ended(edge: Edge, code: number | null, signal: string | null): void {
    edge.listening = false;
    for (const deviceId of this.sessions.workerEnded(edge))
      this.ingest.deviceDisconnected(deviceId);
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
