import type { Alert, AlertEventKind, AlertPriority } from './alert';

/**
 * A system that receives a ward's alert events over HTTP (a phone or pager gateway): every event
 * of the alerts of `ward` (every ward when absent) at `minPriority` or above.
 */
export interface NotificationTarget {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly ward?: string;
  readonly minPriority: AlertPriority;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** `POST /api/notification-targets` answers the target with its signing secret, shown once. */
export interface CreatedNotificationTarget extends NotificationTarget {
  /** `whsec_` and the base64 of 32 random bytes (Standard Webhooks). */
  readonly secret: string;
}

/** How a target's deliveries stand, for `GET /api/notification-targets`. */
export interface NotificationTargetView extends NotificationTarget {
  /** Events waiting to be delivered, oldest first. */
  readonly pending: number;
  /** When the oldest undelivered event was queued, if it has failed at least once. */
  readonly failingSince?: string;
  readonly lastError?: string;
}

/** The event types a target receives: one per step of an alert's life. */
export type NotificationEventType = `alert.${AlertEventKind}`;

/**
 * The body of a webhook (Standard Webhooks' `{type, timestamp, data}`). The patient is named by
 * id, ward and bed only: a gateway needs where to go, not her name or record number.
 */
export interface NotificationPayload {
  readonly type: NotificationEventType;
  readonly timestamp: string;
  readonly data: {
    readonly alert: Alert;
    readonly by?: string;
    readonly ward?: string;
    readonly bed?: string;
  };
}

/** What a gateway reports back of an alert it carried (`POST /api/alerts/:id/responses`). */
export const ALERT_RESPONSE_KINDS = ['delivered', 'read', 'accepted', 'rejected'] as const;
export type AlertResponseKind = (typeof ALERT_RESPONSE_KINDS)[number];

/** The technical alarm of a target failing longer than the limit, on the wards it serves. */
export const NOTIFICATION_FAILED = 'notification.failed';
