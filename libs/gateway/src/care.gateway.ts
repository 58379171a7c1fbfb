import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { AlertNotFoundError, AlertsService, isOpen } from '@vigil/alerts';
import {
  CARE_NAMESPACE,
  CareEvent,
  type AlertAckRequest,
  type AlertAckResponse,
  type CareHandshake,
  type CareServerEvents,
} from '@vigil/contracts';
import { IngestService } from '@vigil/ingest';
import { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { liveVitals } from './live-vitals';

/** At most four live vitals events per patient per second. */
const VITALS_INTERVAL_MS = 250;

type CareSocket = Socket<Record<string, never>, CareServerEvents>;

/** Pushes alerts, live vitals and device status to every console on `/care`; takes acknowledgements. */
@WebSocketGateway({ namespace: CARE_NAMESPACE })
export class CareGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(CareGateway.name);
  private readonly subscriptions = new Subscription();

  @WebSocketServer()
  private readonly namespace!: Namespace<Record<string, never>, CareServerEvents>;

  constructor(
    private readonly ingest: IngestService,
    private readonly alerts: AlertsService,
  ) {}

  afterInit(): void {
    this.subscriptions.add(
      this.alerts.events$.subscribe((event) => {
        this.namespace.emit(
          event.kind === 'raised' ? CareEvent.AlertRaised : CareEvent.AlertUpdated,
          event.alert,
        );
        if (event.kind === 'escalated' || event.kind === 'reminded') {
          this.namespace.emit(CareEvent.AlertEscalated, { kind: event.kind, alert: event.alert });
        }
      }),
    );
    this.subscriptions.add(
      liveVitals(this.ingest.samples$, VITALS_INTERVAL_MS).subscribe((event) =>
        this.namespace.emit(CareEvent.Vitals, event),
      ),
    );
    this.subscriptions.add(
      this.ingest.status$.subscribe((event) => this.namespace.emit(CareEvent.PatientStatus, event)),
    );
  }

  /**
   * A console that connects receives every open alert; one that reconnects with `since` also
   * receives, as `alert:updated`, the alerts that were acknowledged or resolved while it was away.
   */
  async handleConnection(socket: CareSocket): Promise<void> {
    const open = this.alerts.openAlerts();
    for (const alert of open) socket.emit(CareEvent.AlertRaised, alert);
    const { since } = (socket.handshake.auth ?? {}) as CareHandshake;
    let closed = 0;
    if (typeof since === 'string' && !Number.isNaN(Date.parse(since))) {
      for (const alert of await this.alerts.changedSince(since)) {
        if (isOpen(alert)) continue;
        socket.emit(CareEvent.AlertUpdated, alert);
        closed += 1;
      }
    }
    this.logger.log(
      `console ${socket.id} connected; sent ${open.length} open and ${closed} closed alerts`,
    );
  }

  @SubscribeMessage(CareEvent.AlertAck)
  async acknowledge(
    @ConnectedSocket() socket: CareSocket,
    @MessageBody() request: AlertAckRequest,
  ): Promise<AlertAckResponse> {
    const by = typeof request?.by === 'string' ? request.by.trim() : '';
    if (typeof request?.alertId !== 'string' || by.length === 0 || by.length > 100) {
      return {
        ok: false,
        error: 'alert:ack needs {alertId, by} with a user name of 1-100 characters',
      };
    }
    try {
      const alert = await this.alerts.acknowledge(request.alertId, by);
      this.logger.log(`alert ${alert.id} acknowledged from console ${socket.id}`);
      return { ok: true, alert };
    } catch (error) {
      if (error instanceof AlertNotFoundError) return { ok: false, error: error.message };
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }
}
