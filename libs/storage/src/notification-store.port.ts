import type { NotificationTarget } from '@vigil/contracts';
import type { AuditEntry } from './registry-store.port';

export const NOTIFICATION_STORE = Symbol('NotificationStore');

/** One event queued for one target: delivered at least once, in the order queued. */
export interface QueuedNotification {
  /** The queue's own order. */
  readonly seq: number;
  readonly targetId: string;
  /** `webhook-id`: the same on every attempt, so the receiver can tell a retry. */
  readonly messageId: string;
  readonly payload: string;
  /** Epoch ms. */
  readonly queuedAt: number;
  readonly attempts: number;
  /** Epoch ms; not before then. */
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

/**
 * Notification targets with their signing secrets, and the durable queue of what each is owed.
 * A queued event is on disk before it is sent, and leaves the queue only once delivered.
 */
export interface NotificationStore {
  addTarget(target: NotificationTarget, secret: string, audit: AuditEntry): Promise<void>;
  removeTarget(targetId: string, audit: AuditEntry): Promise<void>;
  targets(): Promise<{ target: NotificationTarget; secret: string }[]>;
  /** Queues one event for each target, in one transaction; targets over `maxPending` skip it. */
  enqueue(
    messageId: string,
    payload: string,
    targetIds: readonly string[],
    queuedAt: number,
    maxPending: number,
  ): Promise<{ dropped: string[] }>;
  /** The target's oldest undelivered event. */
  head(targetId: string): Promise<QueuedNotification | undefined>;
  pendingCount(targetId: string): Promise<number>;
  markDelivered(seq: number, at: number): Promise<void>;
  markFailed(seq: number, nextAttemptAt: number, error: string): Promise<void>;
  /** Forgets delivered events older than `before` (epoch ms). */
  pruneDelivered(before: number): Promise<number>;
}
