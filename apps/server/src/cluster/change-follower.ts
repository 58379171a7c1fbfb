import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PATIENT_OWNERSHIP, type PatientOwnership } from '@vigil/alerts';
import { DeviceConnections } from '@vigil/broker';
import { CHANGES_CHANNEL } from '@vigil/storage';
import { Client } from 'pg';
import { SessionEvents } from '../auth/session-events';
import { UsersService } from '../auth/users.service';
import { NotificationTargets } from '../notifications/notification-targets';
import { WebhookDelivery } from '../notifications/webhook-delivery.service';
import { ClinicalSettings } from '../registry/clinical-settings';
import { DeviceRegistry } from '../registry/device-registry';
import { PatientRegistry } from '../registry/patient-registry';
import { StayService } from '../stays/stay.service';

export const CHANGE_FOLLOWER_DATABASE = Symbol('ChangeFollowerDatabase');

/** Changes arriving within this are taken in together: one read of what they touched. */
const GATHER_MS = 50;
/**
 * Audited actions that change none of the records nodes keep copies of (a pause and a standby
 * live with the patient's owner, which made them).
 */
const RECORDED_ONLY: ReadonlySet<string> = new Set([
  'patient.vitals-exported',
  'patient.alarms-paused',
  'patient.alarms-resumed',
  'patient.standby-begun',
  'patient.standby-ended',
  'user.login',
]);
/** A lost connection to the database is tried again this often. */
const RETRY_MS = 1_000;

interface Change {
  readonly action: string;
  readonly subject: string;
}

/**
 * Keeps this node's copies of the shared records current with what other nodes change: it
 * listens to the database's announcements (LISTEN, `CHANGES_CHANNEL`), reads again what they
 * touched, and where a change concerns a patient this node acts for, does what the node that
 * made it would have done had it been hers: a stay ended, a wearable put on or taken off. A
 * device whose secret changed is disconnected here, sessions ended elsewhere end here too, and
 * notifications queued elsewhere are delivered from here when this node delivers. After
 * a lost connection, everything is read again (announcements made meanwhile are lost).
 */
@Injectable()
export class ChangeFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFollower.name);
  private client?: Client;
  private pending: Change[] = [];
  private gathering?: NodeJS.Timeout;
  private applying: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(CHANGE_FOLLOWER_DATABASE) private readonly databaseUrl: string,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
    private readonly patients: PatientRegistry,
    private readonly devices: DeviceRegistry,
    private readonly settings: ClinicalSettings,
    private readonly stays: StayService,
    private readonly users: UsersService,
    private readonly sessionEvents: SessionEvents,
    private readonly connections: DeviceConnections,
    private readonly targets: NotificationTargets,
    private readonly delivery: WebhookDelivery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.gathering);
    await this.client?.end().catch(() => undefined);
    await this.applying;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', ({ payload }) => this.received(payload));
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.stopped) return;
      this.logger.warn('lost the announcements of shared changes; reconnecting');
      setTimeout(() => void this.reconnect(), RETRY_MS).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.client = client;
  }

  private async reconnect(): Promise<void> {
    try {
      await this.listen();
      this.enqueue([{ action: 'everything', subject: '' }]);
    } catch {
      if (!this.stopped) setTimeout(() => void this.reconnect(), RETRY_MS).unref();
    }
  }

  private received(payload: string | undefined): void {
    try {
      const change = JSON.parse(payload ?? '') as Change;
      if (typeof change.action !== 'string' || typeof change.subject !== 'string') return;
      this.pending.push(change);
    } catch {
      return;
    }
    this.gathering ??= setTimeout(() => {
      this.gathering = undefined;
      const changes = this.pending;
      this.pending = [];
      this.enqueue(changes);
    }, GATHER_MS);
  }

  private enqueue(changes: readonly Change[]): void {
    this.applying = this.applying
      .then(() => this.apply(changes))
      .catch((error: unknown) =>
        this.logger.error(`shared changes not taken in: ${String(error)}`),
      );
  }

  private async apply(changes: readonly Change[]): Promise<void> {
    const touched = (...prefixes: string[]) =>
      changes.some(
        ({ action }) =>
          action === 'everything' ||
          (!RECORDED_ONLY.has(action) && prefixes.some((prefix) => action.startsWith(prefix))),
      );
    if (touched('patient.', 'device.')) await this.registryChanged();
    if (touched('user.')) await this.users.reload();
    if (touched('notification-target.')) {
      await this.targets.reload();
      this.delivery.wakeAll();
    }
    const ended = changes.filter(({ action }) => action === 'session.ended');
    this.sessionEvents.ended(ended.map(({ subject }) => subject));
    for (const { action, subject } of changes)
      if (action === 'notification.queued') this.delivery.wake(subject);
  }

  private async registryChanged(): Promise<void> {
    const patients = await this.patients.reload();
    const { secretChanged, rebound } = await this.devices.reload();
    await this.settings.load();
    for (const deviceId of secretChanged) this.connections.disconnect(deviceId);
    for (const { deviceId, from, to } of rebound) {
      if (from !== null && from !== to && this.ownership.owns(from))
        await this.stays.deviceTakenOff(deviceId, from, 'device-unbound');
      if (to !== null && this.ownership.owns(to)) this.stays.deviceBoundElsewhere(deviceId);
    }
    for (const { before, after } of patients)
      if (
        before?.status === 'admitted' &&
        after.status !== 'admitted' &&
        this.ownership.owns(after.id)
      )
        await this.stays.stayEndedElsewhere(after.id, 'discharged');
  }
}
