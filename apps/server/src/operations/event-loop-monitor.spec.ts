// Proves the saturation metrics tell a blocked main thread from an idle one.
import { EventLoopMonitor } from './event-loop-monitor';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EventLoopMonitor', () => {
  let monitor: EventLoopMonitor;
  beforeEach(() => {
    monitor = new EventLoopMonitor(60_000);
    monitor.onModuleInit();
  });
  afterEach(() => monitor.onModuleDestroy());

  it('reports a main thread kept busy as busy and late', async () => {
    monitor.sample();
    for (let i = 0; i < 3; i++) {
      const until = Date.now() + 150;
      while (Date.now() < until); // a synchronous job holding the thread, as a backlog would
      await wait(5);
    }
    const window = monitor.sample();
    expect(window.utilization).toBeGreaterThan(0.8);
    expect(window.delayP99Seconds).toBeGreaterThan(0.1);
  });

  // Compared with a busy window of the same process, not with a fixed figure: on a loaded
  // machine (the end-to-end suites beside it) even an idle Jest worker has work of its own.
  it('tells an idle main thread from a busy one', async () => {
    monitor.sample();
    const until = Date.now() + 300;
    while (Date.now() < until); // busy
    await wait(5);
    const busy = monitor.sample();
    await wait(300);
    const idle = monitor.sample();
    expect(idle.utilization).toBeLessThan(busy.utilization / 2);
  });

  it('reports the garbage-collection pauses an allocating thread takes', async () => {
    monitor.sample();
    const totalBefore = monitor.gcPauseTotalSeconds;
    let kept: number[][] = [];
    for (let i = 0; i < 200_000; i++) {
      kept.push([i, i + 1, i + 2]); // short-lived garbage, as each message leaves behind
      if (kept.length > 10_000) kept = [];
    }
    await wait(50); // collections are reported after the thread yields
    const window = monitor.sample();
    expect(window.gcPauseMaxSeconds).toBeGreaterThan(0);
    // The running total grew by at least the longest pause of the window.
    expect(monitor.gcPauseTotalSeconds - totalBefore).toBeGreaterThanOrEqual(
      window.gcPauseMaxSeconds,
    );
  });
});
