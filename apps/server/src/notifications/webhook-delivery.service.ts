import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AlertsService, PATIENT_OWNERSHIP, WARDS_KEY, type PatientOwnership } from '@vigil/alerts';
import { NOTIFICATION_FAILED } from '@vigil/contracts';
import {
  NOTIFICATION_STORE,
  type NotificationStore,
  type QueuedNotification,
} from '@vigil/storage';
import { NotificationTargets, type KnownTarget } from './notification-targets';
import { NOTIFICATION_OPTIONS, type NotificationOptions } from './notification-options';
import { retryDelayMs } from './retry-delay';

/** Delivered events are kept a day (for a look at what was sent), then forgotten. */
const KEEP_DELIVERED_MS = 24 * 3_600_000;

/**
 * Delivers each target's queue in order, one event at a time (so each alert's events arrive in
 * the order they happened), signed the Standard Webhooks way; a failure is retried with backoff,
 * and the events behind it wait. A target failing for longer than the limit raises
 * `notification.failed` on the wards it serves, cleared once it takes deliveries again.
 */
@Injectable()
export class WebhookDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDelivery.name);
  private readonly running = new Map<string, Promise<void>>();
  private readonly wakers = new Map<string, () => void>();
  /** Targets woken while their delivery was busy: it looks at the queue once more before ending. */
  private readonly wokenWhileBusy = new Set<string>();
  private ticker?: NodeJS.Timeout;
  private stopping = false;
  readonly counters = { delivered: 0, failedAttempts: 0 };

  constructor(
    private readonly targets: NotificationTargets,
    private readonly alerts: AlertsService,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
    @Inject(NOTIFICATION_STORE) private readonly store: NotificationStore,
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationOptions,
  ) {}

  onApplicationBootstrap(): void {
    // What a restart interrupted goes out first.
    this.wakeAll();
    let ticks = 0;
    this.ticker = setInterval(() => {
      void this.checkFailures(Date.now());
      if (++ticks % 3_600 === 0)
        void this.store.pruneDelivered(Date.now() - KEEP_DELIVERED_MS).catch(() => undefined);
    }, 1_000);
  }

  /** Stops delivering; an attempt under way is let finish (bounded by its time-out) and recorded. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.ticker);
    for (const wake of this.wakers.values()) wake();
    await Promise.allSettled(this.running.values());
  }

  /** Delivers what is queued for every target (on a cluster: once this node delivers). */
  wakeAll(): void {
    for (const { target } of this.targets.list()) this.wake(target.id);
  }

  /**
   * Something was queued for the target: deliver, unless delivery is already under way. On a
   * cluster one node delivers, the one acting for WARDS_KEY (it also raises the alarm of
   * failing deliveries); the others queue only.
   */
  wake(targetId: string): void {
    const waker = this.wakers.get(targetId);
    if (waker) return waker();
    if (this.stopping || !this.ownership.owns(WARDS_KEY)) return;
    if (this.running.has(targetId)) {
      this.wokenWhileBusy.add(targetId);
      return;
    }
    const run = this.deliverQueue(targetId).finally(() => this.running.delete(targetId));
    this.running.set(targetId, run);
  }

  private async deliverQueue(targetId: string): Promise<void> {
    while (!this.stopping && this.ownership.owns(WARDS_KEY)) {
      this.wokenWhileBusy.delete(targetId);
      const known = this.targets.find(targetId);
      const head = known && (await this.store.head(targetId));
      // Something queued while the queue was read is looked for again, not left until the next.
      if (!known || !head) {
        if (this.wokenWhileBusy.has(targetId)) continue;
        return;
      }
      const wait = head.nextAttemptAt - Date.now();
      if (wait > 0) {
        await this.sleep(targetId, wait);
        continue;
      }
      const failure = await this.attempt(known, head);
      if (failure === undefined) {
        this.counters.delivered++;
        await this.store.markDelivered(head.seq, Date.now());
      } else {
        this.counters.failedAttempts++;
        const next = Date.now() + retryDelayMs(head.attempts + 1, this.options.maxRetryDelayMs);
        await this.store.markFailed(head.seq, next, failure);
        if (head.attempts === 0)
          this.logger.warn(`delivery to ${known.target.name} failed (${failure}); retrying`);
      }
    }
  }

  /** One signed POST; answers why it failed, or undefined when the target took it (2xx). */
  private async attempt(
    { target, webhook }: KnownTarget,
    queued: QueuedNotification,
  ): Promise<string | undefined> {
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': queued.messageId,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': webhook.sign(queued.messageId, new Date(), queued.payload),
        },
        body: queued.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.attemptTimeoutMs),
      });
      await response.body?.cancel();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return cause ?? (error instanceof Error ? error.name : String(error));
    }
  }

  /** Waits `ms`, or less when woken (stopping, or a target changed). */
  private sleep(targetId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wakers = this.wakers;
      function done(): void {
        clearTimeout(timer);
        wakers.delete(targetId);
        resolve();
      }
      this.wakers.set(targetId, done);
    });
  }

  /** Raises or clears `notification.failed` per ward, naming the targets failing it. */
  private async checkFailures(now: number): Promise<void> {
    const failing = new Map<string, string[]>();
    for (const { target } of this.targets.list()) {
      const head = await this.store.head(target.id).catch(() => undefined);
      if (!head || head.attempts === 0 || now - head.queuedAt < this.options.failureAlarmAfterMs)
        continue;
      for (const ward of this.targets.wardsServedBy(target))
        failing.set(ward, [...(failing.get(ward) ?? []), target.name]);
    }
    const alarms = new Map(
      [...failing].map(([ward, names]) => [
        ward,
        {
          value: names.length,
          threshold: this.options.failureAlarmAfterMs / 1000,
          priority: 'medium' as const,
          ts: now,
          message: `Alerts are not reaching ${names.join(', ')}: phones and pagers of this ward may not ring; watch the console.`,
        },
      ]),
    );
    await this.alerts
      .settleWardAlarms(NOTIFICATION_FAILED, alarms)
      .catch((error: unknown) =>
        this.logger.error(`${NOTIFICATION_FAILED} not settled: ${String(error)}`),
      );
  }
}
