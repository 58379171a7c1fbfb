import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { AlertsService } from '@vigil/alerts';
import { CARE_NAMESPACE, CareEvent, type CareServerEvents } from '@vigil/contracts';
import { IngestService } from '@vigil/ingest';
import type { Namespace, Socket } from 'socket.io';
import { Subscription } from 'rxjs';
import { liveVitals } from './live-vitals';

/** At most four live vitals events per patient per second. */
const VITALS_INTERVAL_MS = 250;

/** Pushes alerts, live vitals and device status to every console on `/care`. */
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
      this.alerts.events$.subscribe((event) =>
        this.namespace.emit(
          event.kind === 'raised' ? CareEvent.AlertRaised : CareEvent.AlertUpdated,
          event.alert,
        ),
      ),
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

  /** A console that (re)connects first receives every active alert. */
  handleConnection(socket: Socket<Record<string, never>, CareServerEvents>): void {
    const active = this.alerts.activeAlerts();
    for (const alert of active) socket.emit(CareEvent.AlertRaised, alert);
    this.logger.log(`console ${socket.id} connected; sent ${active.length} active alerts`);
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }
}
