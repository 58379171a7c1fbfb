import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  AcknowledgementRefusedError,
  AcknowledgementService,
  AlertsService,
  isOpen,
  type Acknowledger,
  type RemoteAcknowledgement,
} from '@vigil/alerts';
import {
  CARE_NAMESPACE,
  CARE_UNAUTHORIZED,
  CareEvent,
  seesWard,
  wardOfAlert,
  wardsSeenBy,
  type Alert,
  type AlertAckRequest,
  type AlertAckResponse,
  type CareHandshake,
  type CareServerEvents,
  type VitalsEvent,
} from '@vigil/contracts';
import { IngestService } from '@vigil/ingest';
import { Subscription, type Observable } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import {
  CARE_ACCESS,
  type CareAccessPolicy,
  type CarePatientChange,
  type CareViewer,
} from './care-access.port';
import { EVERY_WARD_ROOM, chargeRoom, roomsOf, wardRoom } from './care-rooms';
import { liveVitals } from './live-vitals';
import { VitalsFrames, type VitalsFrame } from './vitals-frames';

/** At most four live vitals events per patient per second. */
const VITALS_INTERVAL_MS = 250;
/** Across nodes, each ward's live vitals travel together, twice a second. */
const VITALS_FRAME_MS = 500;
const VITALS_FRAME = 'vitals:frame';
/** One node asks the others to acknowledge an alert open there, or for their open alerts. */
const ALERT_ACK = 'alert:ack';
const OPEN_ALERTS = 'alerts:open';

/** What one node tells, or asks, the others, besides the broadcasts to consoles. */
interface CareServerSideEvents {
  [VITALS_FRAME]: (frame: VitalsFrame) => void;
  [ALERT_ACK]: (
    alertId: string,
    by: Acknowledger,
    reply: (answer: RemoteAcknowledgement | null) => void,
  ) => void;
  [OPEN_ALERTS]: (viewer: CareViewer, reply: (alerts: Alert[]) => void) => void;
}
/** A reconnecting console is sent at most this many alerts closed while it was away, the latest. */
const REPLAY_LIMIT = 500;

interface CareSocketData {
  viewer: CareViewer;
  sessionId: string;
  expiry: NodeJS.Timeout;
}

type CareSocket = Socket<
  Record<string, never>,
  CareServerEvents,
  CareServerSideEvents,
  CareSocketData
>;

/**
 * The care console's connection. A console proves who it is with the access token in its
 * handshake and joins the rooms of its wards, so a nurse receives her wards' alerts, vitals and
 * device status and nothing else; escalations go to the ward's charge nurses.
 */
export const CARE_GATEWAY_OPTIONS = Symbol('CareGatewayOptions');

export interface CareGatewayOptions {
  /** Consoles also connect to other nodes: which wards they watch is not known here. */
  readonly clustered: boolean;
}

@WebSocketGateway({ namespace: CARE_NAMESPACE })
export class CareGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  private readonly logger = new Logger(CareGateway.name);
  private readonly subscriptions = new Subscription();

  @WebSocketServer()
  private readonly namespace!: Namespace<
    Record<string, never>,
    CareServerEvents,
    CareServerSideEvents,
    CareSocketData
  >;

  constructor(
    private readonly ingest: IngestService,
    private readonly alerts: AlertsService,
    private readonly acknowledgements: AcknowledgementService,
    @Inject(CARE_ACCESS) private readonly access: CareAccessPolicy,
    @Inject(CARE_GATEWAY_OPTIONS) private readonly options: CareGatewayOptions,
  ) {}

  afterInit(): void {
    this.namespace.use((socket, next) => {
      const { token } = (socket.handshake.auth ?? {}) as Partial<CareHandshake>;
      if (typeof token !== 'string') return next(new Error(CARE_UNAUTHORIZED));
      this.access.authenticate(token).then(
        (verified) => {
          if (!verified) return next(new Error(CARE_UNAUTHORIZED));
          socket.data.viewer = verified.viewer;
          socket.data.sessionId = verified.sessionId;
          // The token's end is the connection's end; the console reconnects with a fresh one.
          socket.data.expiry = setTimeout(
            () => socket.disconnect(true),
            Math.max(0, verified.expiresAt - Date.now()),
          );
          next();
        },
        (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
      );
    });
    this.subscriptions.add(
      this.alerts.events$.subscribe((event) => {
        const ward = wardOfAlert(event.alert, (id) => this.access.wardOf(id));
        this.toWard(ward).emit(
          event.kind === 'raised' ? CareEvent.AlertRaised : CareEvent.AlertUpdated,
          event.alert,
        );
        if (event.kind === 'escalated' || event.kind === 'reminded') {
          const rooms = [EVERY_WARD_ROOM, ...(ward === undefined ? [] : [chargeRoom(ward)])];
          (event.kind === 'escalated' ? this.namespace.to(rooms) : this.toWard(ward)).emit(
            CareEvent.AlertEscalated,
            { kind: event.kind, alert: event.alert },
          );
        }
      }),
    );
    // Most wards have no console open at a given moment: no event is made for nobody.
    const vitals$ = liveVitals(this.ingest.samples$, VITALS_INTERVAL_MS, Date.now, (patientId) =>
      this.watched(this.access.wardOf(patientId)),
    );
    if (this.options.clustered) {
      this.sendVitalsInFrames(vitals$);
      this.answerOtherNodes();
    } else
      this.subscriptions.add(
        vitals$.subscribe((event) =>
          this.toWard(this.access.wardOf(event.patientId)).emit(CareEvent.Vitals, event),
        ),
      );
    this.subscriptions.add(
      this.ingest.status$.subscribe((event) =>
        this.toWard(this.access.wardOf(event.patientId)).emit(CareEvent.PatientStatus, event),
      ),
    );
    this.subscriptions.add(
      this.access.patientChanges$.subscribe((change) => this.patientChanged(change)),
    );
    this.subscriptions.add(
      this.alerts.pauses$.subscribe((event) =>
        this.toWard(this.access.wardOf(event.patientId)).emit(CareEvent.AlarmPause, event),
      ),
    );
    this.subscriptions.add(
      this.alerts.standbys$.subscribe((event) =>
        this.toWard(this.access.wardOf(event.patientId)).emit(CareEvent.Standby, event),
      ),
    );
    this.subscriptions.add(
      this.access.sessionsEnded$.subscribe((ended) => {
        const sessions = new Set(ended);
        for (const socket of this.namespace.sockets.values()) {
          if (sessions.has(socket.data.sessionId)) socket.disconnect(true);
        }
      }),
    );
  }

  /**
   * Consoles follow a patient's place: the ward she left is told she left (and, being routed by
   * her present ward, receives nothing more of her); the ward she came to receives her and her
   * open alerts at once. A nurse of both wards, and every-ward viewers, see her updated.
   */
  private patientChanged({ kind, patient, deviceIds, fromWard }: CarePatientChange): void {
    const updated = { patient, deviceIds };
    if (kind === 'discharged' || kind === 'admission-cancelled') {
      this.toWard(patient.ward).emit(CareEvent.PatientLeft, {
        patientId: patient.id,
        reason: kind,
      });
      return;
    }
    if (kind !== 'transferred' || fromWard === undefined || fromWard === patient.ward) {
      this.toWard(patient.ward).emit(CareEvent.PatientUpdated, updated);
      return;
    }
    const arriving = wardRoom(patient.ward);
    const leaving = wardRoom(fromWard);
    this.namespace
      .to(leaving)
      .except([arriving, EVERY_WARD_ROOM])
      .emit(CareEvent.PatientLeft, { patientId: patient.id, reason: kind, toWard: patient.ward });
    this.toWard(patient.ward).emit(CareEvent.PatientUpdated, updated);
    const open = this.alerts
      .announcedOpenAlerts()
      .filter((alert) => alert.patientId === patient.id);
    const newcomers = this.namespace.to(arriving).except([leaving, EVERY_WARD_ROOM]);
    for (const alert of open) newcomers.emit(CareEvent.AlertRaised, alert);
  }

  /**
   * A console that connects receives every open alert of its wards; one that reconnects with
   * `since` also receives, as `alert:updated`, those acknowledged or resolved while it was away
   * (the latest REPLAY_LIMIT of them: its alert list reads older ones over HTTP).
   */
  async handleConnection(socket: CareSocket): Promise<void> {
    const { viewer } = socket.data;
    await socket.join(roomsOf(viewer));
    const open = await this.openAlertsSeenBy(viewer);
    for (const alert of open) socket.emit(CareEvent.AlertRaised, alert);
    const { since } = socket.handshake.auth as CareHandshake;
    let closed = 0;
    if (typeof since === 'string' && !Number.isNaN(Date.parse(since))) {
      const changed = await this.alerts.changedSince({
        since,
        wards: wardsSeenBy(viewer),
        limit: REPLAY_LIMIT,
      });
      // Already limited to the viewer's wards by the query.
      for (const alert of changed) {
        if (isOpen(alert)) continue;
        socket.emit(CareEvent.AlertUpdated, alert);
        closed += 1;
      }
    }
    this.logger.log(
      `console ${socket.id} (${viewer.username}) connected; sent ${open.length} open and ${closed} closed alerts`,
    );
  }

  handleDisconnect(socket: CareSocket): void {
    clearTimeout(socket.data.expiry);
  }

  /** Acknowledges in the viewer's name, by the same rules as over HTTP (AcknowledgementService). */
  @SubscribeMessage(CareEvent.AlertAck)
  async acknowledge(
    @ConnectedSocket() socket: CareSocket,
    @MessageBody() request: AlertAckRequest,
  ): Promise<AlertAckResponse> {
    const { viewer } = socket.data;
    if (typeof request?.alertId !== 'string')
      return { ok: false, error: 'alert:ack needs {alertId}' };
    try {
      const acknowledged = await this.acknowledgements.acknowledge(request.alertId, viewer);
      this.logger.log(`alert ${acknowledged.id} acknowledged by ${viewer.username}`);
      return { ok: true, alert: acknowledged };
    } catch (error) {
      if (error instanceof AcknowledgementRefusedError) return { ok: false, error: error.message };
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }

  /** The open alerts a viewer sees: this node's and, on a cluster, every other node's. */
  private async openAlertsSeenBy(viewer: CareViewer): Promise<Alert[]> {
    const here = this.alerts.announcedOpenAlerts().filter((alert) => this.visible(viewer, alert));
    if (!this.options.clustered) return here;
    const others = await this.askOtherNodes<Alert[]>(OPEN_ALERTS, viewer);
    const byId = new Map([...here, ...others.flat()].map((alert) => [alert.id, alert]));
    return [...byId.values()];
  }

  /**
   * On a cluster each node holds the alerts of its own patients: it answers the others' questions
   * about them, and asks the others about alerts it does not hold.
   */
  private answerOtherNodes(): void {
    this.namespace.on(ALERT_ACK, (alertId, by, reply) => {
      if (!this.alerts.openAlerts().some((alert) => alert.id === alertId)) return reply(null);
      this.acknowledgements.acknowledgeHere(alertId, by).then(
        (alert) => reply({ alert }),
        (error: unknown) =>
          reply(
            error instanceof AcknowledgementRefusedError
              ? { refused: { code: error.code, message: error.message } }
              : null,
          ),
      );
    });
    this.namespace.on(OPEN_ALERTS, (viewer, reply) =>
      reply(this.alerts.announcedOpenAlerts().filter((alert) => this.visible(viewer, alert))),
    );
    this.acknowledgements.askOthersWith(async (alertId, by) => {
      const { username, role, wards } = by;
      const answers = await this.askOtherNodes<RemoteAcknowledgement | null>(ALERT_ACK, alertId, {
        username,
        role,
        wards,
      });
      return answers.find((answer) => answer !== null) ?? undefined;
    });
  }

  /**
   * The other nodes' answers: every node answers in milliseconds; one that died is given up
   * once the adapter misses its heartbeats (ClusterIoAdapter), and its answer left out.
   */
  private askOtherNodes<T>(event: typeof ALERT_ACK | typeof OPEN_ALERTS, ...args: unknown[]) {
    return new Promise<T[]>((resolve) => {
      const emit = this.namespace.serverSideEmit as (event: string, ...rest: unknown[]) => boolean;
      emit.call(this.namespace, event, ...args, (_error: unknown, answers?: T[]) =>
        resolve(answers ?? []),
      );
    });
  }

  private visible(viewer: CareViewer, alert: Alert): boolean {
    return seesWard(
      viewer,
      wardOfAlert(alert, (id) => this.access.wardOf(id)),
    );
  }

  /**
   * Across nodes, live vitals go to the other nodes as one frame per ward, a server-side emit
   * (Redis PUB/SUB: a lost frame is replaced by the next, unlike an alert), and each node hands
   * them to its own consoles as the events they always were.
   */
  private sendVitalsInFrames(vitals$: Observable<VitalsEvent>): void {
    const frames = new VitalsFrames();
    this.subscriptions.add(
      vitals$.subscribe((event) => frames.add(this.access.wardOf(event.patientId), event)),
    );
    const timer = setInterval(() => {
      for (const frame of frames.take()) {
        this.showFrame(frame);
        this.namespace.serverSideEmit(VITALS_FRAME, frame);
      }
    }, VITALS_FRAME_MS);
    this.subscriptions.add(() => clearInterval(timer));
    this.namespace.on(VITALS_FRAME, (frame) => this.showFrame(frame));
  }

  private showFrame({ ward, events }: VitalsFrame): void {
    const consoles = this.namespace.local.to(consolesOf(ward));
    for (const event of events) consoles.emit(CareEvent.Vitals, event);
  }

  private watched(ward: string | undefined): boolean {
    if (this.options.clustered) return true;
    const rooms = this.namespace.adapter.rooms;
    const members = (room: string) => rooms.get(room)?.size ?? 0;
    return members(EVERY_WARD_ROOM) > 0 || (ward !== undefined && members(wardRoom(ward)) > 0);
  }

  private toWard(ward: string | undefined) {
    return this.namespace.to(consolesOf(ward));
  }
}

/** The rooms of the consoles that see a ward (a patient on no ward: every-ward viewers only). */
function consolesOf(ward: string | undefined): string[] {
  return ward === undefined ? [EVERY_WARD_ROOM] : [wardRoom(ward), EVERY_WARD_ROOM];
}
