import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat on Linux (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS = 100;

export interface ProcessUse {
  /** CPU time used while metered, in seconds (user + system), the process and its children. */
  readonly cpuSeconds: number;
  /** Of which the process's main thread (Vigil's owner: sockets, rules, alerts, consoles). */
  readonly mainThreadCpuSeconds: number;
  /** Of which its other threads (the SQLite writer and reader, garbage collection, libuv). */
  readonly otherThreadsCpuSeconds: number;
  /** Of which its child processes (Vigil's edge workers). */
  readonly childrenCpuSeconds: number;
  /** Average CPU while metered, in cores (1.0 = one core busy). */
  readonly cores: number;
  /** Highest resident memory of the process and its children together. */
  readonly peakRssMb: number;
  /** Resident memory each second, for the soak's flatness. */
  readonly rssMb: number[];
}

function ticksOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // Fields after the command name, which may hold spaces, closed by the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

interface Reading {
  readonly process: number;
  readonly mainThread: number;
  /** Ticks of each child process by pid (a child that ended keeps its last reading). */
  readonly children: Map<number, number>;
  readonly rssMb: number;
}

function read(pid: number, children: Map<number, number>): Reading {
  const seen = new Map(children);
  let rss = rssMb(pid);
  for (const child of childrenOf(pid)) {
    try {
      seen.set(child, ticksOf(`/proc/${child}/stat`));
      rss += rssMb(child);
    } catch {
      // ended between the listing and the reading
    }
  }
  return {
    process: ticksOf(`/proc/${pid}/stat`),
    mainThread: ticksOf(`/proc/${pid}/task/${pid}/stat`),
    children: seen,
    rssMb: rss,
  };
}

/** Samples a process's (and its children's) CPU and resident memory every second until stopped. */
export function meterProcess(pid: number): { stop(): ProcessUse } {
  const startedAt = Date.now();
  const first = read(pid, new Map());
  let last = first;
  const series: number[] = [first.rssMb];
  const sample = () => {
    last = read(pid, last.children);
    series.push(last.rssMb);
  };
  const timer = setInterval(() => {
    try {
      sample();
    } catch {
      clearInterval(timer); // the process ended
    }
  }, 1_000);
  return {
    stop() {
      clearInterval(timer);
      try {
        sample();
      } catch {
        // ended: keep the last reading
      }
      let childTicks = 0;
      for (const [child, ticks] of last.children)
        childTicks += ticks - (first.children.get(child) ?? 0);
      const processSeconds = (last.process - first.process) / CLOCK_TICKS;
      const mainThreadCpuSeconds = (last.mainThread - first.mainThread) / CLOCK_TICKS;
      const childrenCpuSeconds = childTicks / CLOCK_TICKS;
      const cpuSeconds = processSeconds + childrenCpuSeconds;
      return {
        cpuSeconds,
        mainThreadCpuSeconds,
        otherThreadsCpuSeconds: processSeconds - mainThreadCpuSeconds,
        childrenCpuSeconds,
        cores: cpuSeconds / ((Date.now() - startedAt) / 1000),
        peakRssMb: Math.max(...series),
        rssMb: series,
      };
    },
  };
}

function machineTicks(): { busy: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/** How busy the whole machine was while metered, in cores (kernel networking included). */
export function meterMachine(): { stop(): { busyCores: number; cores: number } } {
  const first = machineTicks();
  const cores = cpus().length;
  return {
    stop() {
      const last = machineTicks();
      const share = (last.busy - first.busy) / Math.max(1, last.total - first.total);
      return { busyCores: share * cores, cores };
    },
  };
}
