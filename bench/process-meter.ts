import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat on Linux (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS = 100;

export interface ProcessUse {
  /** CPU time used while metered, in seconds (user + system). */
  readonly cpuSeconds: number;
  /** Average CPU while metered, in cores (1.0 = one core busy). */
  readonly cores: number;
  readonly peakRssMb: number;
  /** Resident memory each second, for the soak's flatness. */
  readonly rssMb: number[];
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces, closed by the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Samples a process's CPU and resident memory every second until stopped. */
export function meterProcess(pid: number): { stop(): ProcessUse } {
  const startedAt = Date.now();
  const startTicks = cpuTicks(pid);
  const series: number[] = [rssMb(pid)];
  let lastTicks = startTicks;
  const timer = setInterval(() => {
    try {
      series.push(rssMb(pid));
      lastTicks = cpuTicks(pid);
    } catch {
      clearInterval(timer); // the process ended
    }
  }, 1_000);
  return {
    stop() {
      clearInterval(timer);
      try {
        lastTicks = cpuTicks(pid);
        series.push(rssMb(pid));
      } catch {
        // ended: keep the last reading
      }
      const cpuSeconds = (lastTicks - startTicks) / CLOCK_TICKS;
      return {
        cpuSeconds,
        cores: cpuSeconds / ((Date.now() - startedAt) / 1000),
        peakRssMb: Math.max(...series),
        rssMb: series,
      };
    },
  };
}
