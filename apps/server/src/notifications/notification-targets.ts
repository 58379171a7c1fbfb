import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  PRIORITY_RANK,
  wardOfAlert,
  type Alert,
  type CreatedNotificationTarget,
  type NotificationTarget,
} from '@vigil/contracts';
import { NOTIFICATION_STORE, auditEntry, type NotificationStore } from '@vigil/storage';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { PatientRegistry } from '../registry/patient-registry';

export interface KnownTarget {
  readonly target: NotificationTarget;
  /** Signs what Vigil sends, and verifies what the target's gateway posts back. */
  readonly webhook: Webhook;
}

/** The notification targets, kept in memory beside the store: asked on every alert event. */
@Injectable()
export class NotificationTargets implements OnModuleInit {
  private readonly known = new Map<string, KnownTarget>();

  constructor(
    @Inject(NOTIFICATION_STORE) private readonly store: NotificationStore,
    private readonly patients: PatientRegistry,
  ) {}

  onModuleInit(): Promise<void> {
    return this.reload();
  }

  /** Reads the targets (again, when another node of a cluster registered or removed one). */
  async reload(): Promise<void> {
    const targets = await this.store.targets();
    this.known.clear();
    for (const { target, secret } of targets)
      this.known.set(target.id, { target, webhook: new Webhook(secret) });
  }

  list(): KnownTarget[] {
    return [...this.known.values()];
  }

  find(targetId: string): KnownTarget | undefined {
    return this.known.get(targetId);
  }

  /** Registers a target with a new signing secret, returned this once. */
  async add(
    draft: Pick<NotificationTarget, 'name' | 'url' | 'ward' | 'minPriority'>,
    by: string,
  ): Promise<CreatedNotificationTarget> {
    const target: NotificationTarget = {
      id: randomUUID(),
      name: draft.name,
      url: draft.url,
      ...(draft.ward !== undefined && { ward: draft.ward }),
      minPriority: draft.minPriority,
      createdAt: new Date().toISOString(),
      createdBy: by,
    };
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await this.store.addTarget(
      target,
      secret,
      auditEntry(by, 'notification-target.created', target.id, undefined, target),
    );
    this.known.set(target.id, { target, webhook: new Webhook(secret) });
    return { ...target, secret };
  }

  /** Removes a target and what it is still owed; false when there is none. */
  async remove(targetId: string, by: string): Promise<boolean> {
    const known = this.known.get(targetId);
    if (!known) return false;
    this.known.delete(targetId);
    await this.store.removeTarget(
      targetId,
      auditEntry(by, 'notification-target.removed', targetId, known.target),
    );
    return true;
  }

  /** The targets that receive this alert's events: its ward's (or every ward's), at its priority. */
  receiving(alert: Alert): KnownTarget[] {
    const ward = this.wardOf(alert);
    return this.list().filter(
      ({ target }) =>
        (target.ward === undefined || target.ward === ward) &&
        PRIORITY_RANK[alert.priority] >= PRIORITY_RANK[target.minPriority],
    );
  }

  wardOf(alert: Alert): string | undefined {
    return wardOfAlert(alert, (patientId) => this.patients.wardOf(patientId));
  }

  /** The wards a target serves now: its own, or every ward with a patient on it. */
  wardsServedBy(target: NotificationTarget): string[] {
    if (target.ward !== undefined) return [target.ward];
    return [
      ...new Set(
        this.patients
          .list()
          .filter((patient) => patient.status === 'admitted')
          .map((patient) => patient.ward),
      ),
    ];
  }
}
