import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface EventLoopWindow {
  /** Share of the window the main thread was busy, 0 to 1. */
  readonly utilization: number;
  /** 99th percentile of how late the event loop ran its timers, in seconds. */
  readonly delayP99Seconds: number;
}

/**
 * How busy the thread that serves every device socket is, over the last window (10 s by
 * default). Near 1 and with the delay rising, Vigil is behind its devices: acknowledgements and
 * alerts wait (see the benchmark in the README), which is what an operator needs to see first.
 */
@Injectable()
export class EventLoopMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });
  private since: EventLoopUtilization = performance.eventLoopUtilization();
  private timer?: NodeJS.Timeout;
  last: EventLoopWindow = { utilization: 0, delayP99Seconds: 0 };

  constructor(private readonly windowMs = 10_000) {}

  onModuleInit(): void {
    this.delay.enable();
    this.timer = setInterval(() => this.sample(), this.windowMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.delay.disable();
  }

  /** Closes the current window; called by the timer, and by tests. */
  sample(): EventLoopWindow {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, this.since);
    this.since = now;
    this.last = {
      utilization: window.utilization,
      delayP99Seconds: this.delay.percentile(99) / 1e9,
    };
    this.delay.reset();
    return this.last;
  }
}
