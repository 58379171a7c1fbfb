import { HttpError } from '@influxdata/influxdb-client';
import type { DurableSpool } from './durable-spool';

export interface DrainerOptions {
  /** Most lines in one write request. */
  readonly batchLines: number;
  readonly minRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
}

export interface DrainerEvents {
  onOutage(error: Error): void;
  onRecovered(downForMs: number): void;
  onRejected(lines: number, error: Error): void;
}

export const DEFAULT_DRAINER_OPTIONS: DrainerOptions = {
  batchLines: 5_000,
  minRetryDelayMs: 250,
  maxRetryDelayMs: 15_000,
};

/**
 * Moves the spool into InfluxDB, oldest first, one batch at a time. A batch leaves the spool only
 * when InfluxDB has answered 204. An unreachable server is retried with exponential backoff and
 * jitter (or its Retry-After); a batch refused as malformed (HTTP 400) is halved until the bad
 * line is alone, which is then set aside so it cannot block the rest.
 */
export class SpoolDrainer {
  private running = false;
  private stopped = false;
  private cancelSleep?: () => void;
  private failures = 0;
  private batchLimit: number;
  private outageSince?: number;
  lastError?: Error;

  constructor(
    private readonly spool: DurableSpool,
    private readonly write: (lines: string[]) => Promise<void>,
    private readonly events: DrainerEvents,
    private readonly options: DrainerOptions = DEFAULT_DRAINER_OPTIONS,
  ) {
    this.batchLimit = options.batchLines;
  }

  /** Starts draining when idle. While an outage is being waited out, new lines do not hurry it. */
  kick(): void {
    if (!this.stopped && !this.running) void this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelSleep?.();
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped) {
        const batch = this.spool.peek(this.batchLimit);
        if (!batch) break;
        try {
          await this.write(batch.lines);
          this.spool.remove(batch);
          this.succeeded();
        } catch (error) {
          await this.failed(batch, error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.running = false;
    }
  }

  private succeeded(): void {
    if (this.outageSince !== undefined) this.events.onRecovered(Date.now() - this.outageSince);
    this.outageSince = undefined;
    this.lastError = undefined;
    this.failures = 0;
    this.batchLimit = Math.min(this.options.batchLines, this.batchLimit * 2);
  }

  private async failed(
    batch: { firstId: number; lastId: number; lines: string[] },
    error: Error,
  ): Promise<void> {
    if (error instanceof HttpError && error.statusCode === 400) {
      if (batch.lines.length > 1) {
        this.batchLimit = Math.ceil(batch.lines.length / 2);
      } else {
        this.spool.reject(batch, error.message);
        this.events.onRejected(1, error);
      }
      return;
    }
    if (this.outageSince === undefined) {
      this.outageSince = Date.now();
      this.events.onOutage(error);
    }
    this.lastError = error;
    this.failures += 1;
    await this.sleep(this.retryDelay(error));
  }

  private retryDelay(error: Error): number {
    // Retry-After is in seconds (RFC 9110, section 10.2.3).
    const retryAfterMs = error instanceof HttpError ? error.retryAfter() * 1000 : 0;
    const exponential = this.options.minRetryDelayMs * 2 ** Math.min(this.failures - 1, 16);
    const jitter = Math.random() * this.options.minRetryDelayMs;
    return Math.min(this.options.maxRetryDelayMs, Math.max(retryAfterMs, exponential) + jitter);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cancelSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.cancelSleep = undefined;
    });
  }
}
