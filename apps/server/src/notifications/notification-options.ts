export const NOTIFICATION_OPTIONS = Symbol('NotificationOptions');

export interface NotificationOptions {
  /** A target whose oldest undelivered event has failed for this long raises `notification.failed`. */
  readonly failureAlarmAfterMs: number;
  /** The longest wait between two attempts of one delivery. */
  readonly maxRetryDelayMs: number;
  /** One attempt gives up after this long without an answer. */
  readonly attemptTimeoutMs: number;
  /** A target's queue holds at most this many undelivered events; later ones are dropped. */
  readonly maxQueuedPerTarget: number;
}
