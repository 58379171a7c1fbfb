import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  type EventLoopUtilization,
} from 'node:perf_hooks';

export interface EventLoopWindow {
  /** Share of the window the main thread was busy, 0 to 1. */
  readonly utilization: number;
  /** 99th percentile of how late the event loop ran its timers, in seconds. */
  readonly delayP99Seconds: number;
  /** The longest garbage-collection pause in the window, in seconds. */
  readonly gcPauseMaxSeconds: number;
}

/**
 * How busy the thread that serves every device socket is, over the last window (10 s by
 * default), and how long garbage collection paused it. Near 1 and with the delay rising, Vigil
 * is behind its devices: acknowledgements and alerts wait (bench/results/),
 * which is what an operator needs to see first.
 */
@Injectable()
export class EventLoopMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly delay = monitorEventLoopDelay({ resolution: 10 });
  private since: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.gcPauseTotal += entry.duration / 1000;
      this.gcPauseMax = Math.max(this.gcPauseMax, entry.duration / 1000);
    }
  });
  private gcPauseMax = 0;
  private gcPauseTotal = 0;
  private timer?: NodeJS.Timeout;
  last: EventLoopWindow = { utilization: 0, delayP99Seconds: 0, gcPauseMaxSeconds: 0 };

  constructor(private readonly windowMs = 10_000) {}

  onModuleInit(): void {
    this.delay.enable();
    this.collections.observe({ entryTypes: ['gc'] });
    this.timer = setInterval(() => this.sample(), this.windowMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.delay.disable();
    this.collections.disconnect();
  }

  /** Time the main thread spent paused for garbage collection since start, in seconds. */
  get gcPauseTotalSeconds(): number {
    return this.gcPauseTotal;
  }

  /** Closes the current window; called by the timer, and by tests. */
  sample(): EventLoopWindow {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, this.since);
    this.since = now;
    this.last = {
      utilization: window.utilization,
      delayP99Seconds: this.delay.percentile(99) / 1e9,
      gcPauseMaxSeconds: this.gcPauseMax,
    };
    this.delay.reset();
    this.gcPauseMax = 0;
    return this.last;
  }
}
