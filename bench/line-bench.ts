// npm run bench: Vigil's whole line against a bare aedes broker of the same version, same load,
// same run. Wearables are simulated from separate processes (bench/load-generator.ts). Prints a
// table and writes it, with the conditions, to bench-results/ (not committed).
import Database from 'better-sqlite3-multiple-ciphers';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { VigilClient } from '@vigil/client';
import type { GeneratorCommand, GeneratorDevice, GeneratorReport } from './load-generator';
import { distribution, distributionByMinute, type Distribution } from './percentiles';
import { meterMachine, meterProcess, type ProcessUse } from './process-meter';
import { BENCH_ADMIN_PASSWORD, startBareAedes, startVigil, type RunningServer } from './servers';

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '1' },
    duration: { type: 'string', default: '60' },
    probes: { type: 'string', default: '1000' },
    generators: { type: 'string', default: '2' },
    phases: { type: 'string', default: 'steady,max,overload' },
    targets: { type: 'string', default: 'aedes,vigil' },
    window: { type: 'string', default: '20' },
    workers: { type: 'string', default: '1' },
    'max-devices': { type: 'string', default: '200' },
  },
});
const DEVICES = Number(args.devices);
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const PROBES = Math.min(Number(args.probes), DEVICES);
const GENERATORS = Number(args.generators);
const PHASES = args.phases.split(',');
const WORKERS = Number(args.workers);
const MAX_DEVICES = Number(args['max-devices']);

/** A server under test: the bare broker, or Vigil with so many edge workers (VIGIL_WORKERS). */
interface Target {
  readonly name: string;
  readonly kind: 'aedes' | 'vigil';
  readonly workers: number;
}
/** `vigil` is Vigil in one process; `--workers N` adds Vigil with N edge workers to the run. */
const TARGETS: Target[] = args.targets
  .split(',')
  .flatMap((name): Target[] =>
    name !== 'vigil'
      ? [{ name, kind: 'aedes', workers: 0 }]
      : [
          { name: 'vigil', kind: 'vigil', workers: 1 },
          ...(WORKERS > 1
            ? [{ name: `vigil-${WORKERS}w`, kind: 'vigil' as const, workers: WORKERS }]
            : []),
        ],
  );
const WINDOW = Number(args.window);
const PROBE_WARD = 'bench-probe';

const logDir = mkdtempSync(join(tmpdir(), 'vigil-bench-logs-'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PhaseResult {
  readonly target: string;
  readonly phase: string;
  readonly connected: number;
  readonly sent: number;
  readonly acknowledged: number;
  readonly stored?: number;
  readonly rejected: number;
  readonly perSecond: number;
  readonly latency?: Distribution;
  readonly use: ProcessUse;
  /** The load generators' CPU meanwhile: with the server's, how busy the machine was. */
  readonly generatorCores: number;
  /** The whole machine, kernel included, in cores busy. */
  readonly machineBusyCores: number;
  readonly survived: boolean;
  readonly note?: string;
  /** overload: acknowledged QoS 1 samples looked up one by one and not found. */
  readonly missing?: number;
  /** steady: each minute of the run, to tell a steady state from a drift or a bad minute. */
  readonly minutes?: MinuteRow[];
}

interface MinuteRow {
  readonly minute: number;
  /** Alert (Vigil) or delivery (bare) latency of the probes published in this minute. */
  readonly latency: Distribution;
  readonly peakRssMb: number;
  /** Vigil's own metrics, read every 10 s: the worst window of the minute. */
  readonly utilization?: number;
  readonly delayP99Ms?: number;
  readonly gcPauseMaxMs?: number;
  /** Time Vigil's main thread spent in garbage collection during the minute. */
  readonly gcPauseMs?: number;
}

interface MetricsReading {
  readonly at: number;
  readonly utilization: number;
  readonly delayP99Seconds: number;
  readonly gcPauseMaxSeconds: number;
  readonly gcPauseTotalSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Vigil's side: admission, an observing nurse, counting what was stored.

/** Admits one patient per device (probes on one ward, the rest 25 to a ward); answers secrets. */
async function admit(server: RunningServer, ids: string[], probeIds: Set<string>) {
  const admin = new VigilClient(server.httpUrl as string);
  await admin.signIn('admin', BENCH_ADMIN_PASSWORD);
  const secrets = new Map<string, string>();
  const width = 32;
  for (let i = 0; i < ids.length; i += width) {
    await Promise.all(
      ids.slice(i, i + width).map(async (id, j) => {
        const ward = probeIds.has(id) ? PROBE_WARD : `bench-${Math.floor((i + j) / 25)}`;
        const patient = { id: `p-${id}`, name: `Bench ${id}`, ward, deviceId: id };
        secrets.set(id, await admin.admit(patient));
      }),
    );
  }
  await admin.createUser({
    username: 'bench-nurse',
    displayName: 'Bench Nurse',
    role: 'nurse',
    wards: [PROBE_WARD],
    password: 'bench-nurse-password',
  });
  return secrets;
}

/** A nurse's console on the probe ward: when each probe's alert arrived. */
async function watchAlerts(server: RunningServer) {
  const nurse = new VigilClient(server.httpUrl as string);
  await nurse.signIn('bench-nurse', 'bench-nurse-password');
  const token = nurse.accessToken;
  const arrivals = new Map<string, number>();
  const socket = io(`${server.httpUrl}/care`, { transports: ['websocket'], auth: { token } });
  socket.on('alert:raised', (alert: { deviceId: string }) => {
    if (!arrivals.has(alert.deviceId)) arrivals.set(alert.deviceId, Date.now());
  });
  // Vigil ends the connection when the access token expires (15 minutes); like the console,
  // sign in again and reconnect: the open alerts then arrive anew, and count when they arrive.
  socket.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect') return;
    void nurse.signIn('bench-nurse', 'bench-nurse-password').then(() => {
      socket.auth = { token: nurse.accessToken };
      socket.connect();
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { arrivals, close: () => socket.close() };
}

/**
 * On the bare broker, a subscriber to the probe devices' topics (as the nurse's console watches
 * only the probe ward): when each probe was delivered, under the whole load.
 */
async function watchDeliveries(server: RunningServer, probeIds: Set<string>) {
  const arrivals = new Map<string, number>();
  const client = await mqtt.connectAsync(server.mqttUrl, { clientId: 'bench-observer' });
  client.on('message', (topic, payload) => {
    // A probe is the only batch: '{"samples":...'.
    if (payload[2] !== 0x73) return;
    const deviceId = topic.split('/')[1];
    if (!arrivals.has(deviceId)) arrivals.set(deviceId, Date.now());
  });
  const topics = [...probeIds].map((id) => `devices/${id}/vitals`);
  for (let i = 0; i < topics.length; i += 100)
    await client.subscribeAsync(topics.slice(i, i + 100), { qos: 0 });
  return { arrivals, close: () => client.end(true) };
}

/** Vigil's /metrics every 10 s: how busy and late its main thread was, and its GC pauses. */
function readMetrics(server: RunningServer) {
  const readings: MetricsReading[] = [];
  const gauge = (text: string, name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const timer = setInterval(() => {
    void fetch(`${server.httpUrl}/metrics`)
      .then((response) => response.text())
      .then((text) =>
        readings.push({
          at: Date.now(),
          utilization: gauge(text, 'vigil_event_loop_utilization'),
          delayP99Seconds: gauge(text, 'vigil_event_loop_delay_p99_seconds'),
          gcPauseMaxSeconds: gauge(text, 'vigil_gc_pause_max_seconds'),
          gcPauseTotalSeconds: gauge(text, 'vigil_gc_pause_seconds_total'),
        }),
      )
      .catch(() => undefined); // a reading missed under load is a gap, not a failure
  }, 10_000);
  return { readings, stop: () => clearInterval(timer) };
}

function minuteRows(
  probes: { at: number; value: number }[],
  startedAt: number,
  rssMb: number[],
  readings: MetricsReading[],
): MinuteRow[] {
  const inMinute = (at: number, minute: number) => Math.floor((at - startedAt) / 60_000) === minute;
  return distributionByMinute(probes, startedAt).map(({ minute, spread }) => {
    const rows = readings.filter((reading) => inMinute(reading.at, minute));
    const before = readings.filter((reading) => reading.at - startedAt < minute * 60_000).at(-1);
    const worst = (pick: (reading: MetricsReading) => number) =>
      rows.length ? Math.max(...rows.map(pick)) : undefined;
    const last = rows.at(-1);
    return {
      minute,
      latency: spread,
      peakRssMb: Math.max(...rssMb.slice(minute * 60, (minute + 1) * 60 + 1)),
      utilization: worst((r) => r.utilization),
      delayP99Ms: worst((r) => r.delayP99Seconds * 1000),
      gcPauseMaxMs: worst((r) => r.gcPauseMaxSeconds * 1000),
      gcPauseMs: last
        ? (last.gcPauseTotalSeconds - (before?.gcPauseTotalSeconds ?? 0)) * 1000
        : undefined,
    };
  });
}

function storedSamples(server: RunningServer): number {
  const db = new Database(join(server.dataDir as string, 'vigil.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Of the acknowledged samples, those not in Vigil's store. */
function missingSamples(server: RunningServer, acknowledged: [string, number][]): number {
  const db = new Database(join(server.dataDir as string, 'vigil.db'), { readonly: true });
  try {
    const find = db.prepare('SELECT 1 FROM samples WHERE device_id = ? AND ts = ?');
    return acknowledged.filter(([deviceId, ts]) => find.get(deviceId, ts) === undefined).length;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The load.

function startGenerators(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    fork(join(__dirname, 'load-generator.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
}

function ask(generator: ChildProcess, command: GeneratorCommand): Promise<GeneratorReport> {
  return new Promise((resolve, reject) => {
    generator.once('message', (report: GeneratorReport) => resolve(report));
    generator.once('exit', (code) => reject(new Error(`load generator exited ${code}`)));
    generator.send(command);
  });
}

function sum(
  reports: GeneratorReport[],
  key: 'connected' | 'failed' | 'sent' | 'acknowledged' | 'rejected' | 'qos0',
) {
  return reports.reduce((total, report) => total + report[key], 0);
}

async function drive(
  server: RunningServer,
  devices: GeneratorDevice[],
  go: Extract<GeneratorCommand, { kind: 'go' }>,
) {
  const generators = startGenerators(GENERATORS);
  const shares = generators.map((_, g) => devices.filter((_, i) => i % GENERATORS === g));
  const connectedAt = Date.now();
  const connected = await Promise.all(
    generators.map((generator, g) =>
      ask(generator, { kind: 'connect', mqttUrl: server.mqttUrl, devices: shares[g] }),
    ),
  );
  const connectSeconds = (Date.now() - connectedAt) / 1000;
  const meter = meterProcess(server.pid);
  const generatorMeters = generators.map((generator) => meterProcess(generator.pid as number));
  const machine = meterMachine();
  const startedAt = Date.now();
  const done = await Promise.all(generators.map((generator) => ask(generator, go)));
  const seconds = (Date.now() - startedAt) / 1000;
  const generatorCores = generatorMeters.reduce((cores, m) => cores + m.stop().cores, 0);
  const machineUse = machine.stop();
  return {
    machineBusyCores: machineUse.busyCores,
    generatorCores,
    connected: sum(connected, 'connected'),
    failed: sum(connected, 'failed'),
    connectSeconds,
    done,
    startedAt,
    seconds,
    use: meter.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// Phases.

function probePlan(ids: string[]): GeneratorDevice[] {
  // Probes spread evenly over the run after a 10 % warm-up, ending 5 s before its end.
  const span = DURATION_S * 1000 * 0.9 - 5_000;
  return ids.map((id, i) => ({
    id,
    probeAt: i < PROBES ? DURATION_S * 100 + (span * i) / PROBES : undefined,
  }));
}

async function steady(target: Target): Promise<PhaseResult> {
  const ids = Array.from({ length: DEVICES }, (_, i) => `w${i}`);
  const plan = probePlan(ids);
  const server =
    target.kind === 'vigil'
      ? await startVigil(logDir, {
          NO_DATA_TIMEOUT_SECONDS: '600',
          VIGIL_WORKERS: String(target.workers),
        })
      : await startBareAedes(logDir);
  try {
    const probeIds = new Set(plan.filter((d) => d.probeAt !== undefined).map((d) => d.id));
    const admittedAt = Date.now();
    const secrets =
      target.kind === 'vigil' ? await admit(server, ids, probeIds) : new Map<string, string>();
    if (target.kind === 'vigil')
      console.log(
        `  admitted ${ids.length} patients and devices in ${((Date.now() - admittedAt) / 1000).toFixed(0)} s`,
      );
    const observer =
      target.kind === 'vigil' ? await watchAlerts(server) : await watchDeliveries(server, probeIds);
    const metrics = target.kind === 'vigil' ? readMetrics(server) : undefined;
    const run = await drive(
      server,
      plan.map((device) => ({ ...device, secret: secrets.get(device.id) })),
      { kind: 'go', mode: 'steady', rateHz: RATE, window: 1, durationMs: DURATION_S * 1000 },
    );
    // Late arrivals count, up to 30 s: a latency is measured, not cut off.
    const probesSent = run.done.reduce((n, report) => n + report.probes.length, 0);
    for (let waited = 0; observer.arrivals.size < probesSent && waited < 30_000; waited += 500)
      await sleep(500);
    observer.close();
    metrics?.stop();
    const probes = run.done
      .flatMap((report) => report.probes)
      .map(([id, sentAt]) => ({
        at: sentAt,
        value: (observer.arrivals.get(id) ?? Infinity) - sentAt,
      }));
    const latencies = probes.map((probe) => probe.value);
    const acknowledged = sum(run.done, 'acknowledged');
    const probesAcked = run.done.reduce((n, report) => n + report.probes.length, 0);
    const survived = !server.crashed();
    await server.stop();
    return {
      target: target.name,
      phase: `steady ${DEVICES} devices at ${RATE} Hz`,
      connected: run.connected,
      sent: sum(run.done, 'sent'),
      acknowledged,
      // A probe message carries two samples.
      stored: target.kind === 'vigil' ? storedSamples(server) - probesAcked : undefined,
      rejected: sum(run.done, 'rejected'),
      perSecond: acknowledged / run.seconds,
      latency: distribution(latencies),
      use: run.use,
      generatorCores: run.generatorCores,
      machineBusyCores: run.machineBusyCores,
      survived,
      note: `connected in ${run.connectSeconds.toFixed(0)} s; ${run.failed} refused; ${latencies.filter((l) => l === Infinity).length} probes never arrived`,
      minutes: minuteRows(probes, run.startedAt, run.use.rssMb, metrics?.readings ?? []),
    };
  } finally {
    if (server.dataDir) rmSync(server.dataDir, { recursive: true, force: true });
  }
}

/**
 * The server for a flat-out phase. Vigil's per-device message and sample limits (50/s each by
 * default, a protection) are raised so the phase measures the line, not the limiter.
 */
async function startFlatOut(target: Target, ids: string[]) {
  const server =
    target.kind === 'vigil'
      ? await startVigil(logDir, {
          MQTT_MAX_MESSAGES_PER_SECOND: '100000',
          MQTT_MAX_SAMPLES_PER_SECOND: '100000',
          VIGIL_WORKERS: String(target.workers),
        })
      : await startBareAedes(logDir);
  const secrets =
    target.kind === 'vigil' ? await admit(server, ids, new Set()) : new Map<string, string>();
  return { server, secrets };
}

async function maxRate(target: Target): Promise<PhaseResult> {
  const ids = Array.from({ length: MAX_DEVICES }, (_, i) => `m${i}`);
  const { server, secrets } = await startFlatOut(target, ids);
  try {
    const run = await drive(
      server,
      ids.map((id) => ({ id, secret: secrets.get(id) })),
      { kind: 'go', mode: 'max', rateHz: 0, window: WINDOW, durationMs: 20_000 },
    );
    const acknowledged = sum(run.done, 'acknowledged');
    const survived = !server.crashed();
    await server.stop();
    return {
      target: target.name,
      phase: `max QoS 1 rate, ${MAX_DEVICES} devices x ${WINDOW} in flight, 20 s`,
      connected: run.connected,
      sent: sum(run.done, 'sent'),
      acknowledged,
      stored: target.kind === 'vigil' ? storedSamples(server) : undefined,
      rejected: sum(run.done, 'rejected'),
      perSecond: acknowledged / run.seconds,
      use: run.use,
      generatorCores: run.generatorCores,
      machineBusyCores: run.machineBusyCores,
      survived,
    };
  } finally {
    if (server.dataDir) rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function overload(target: Target): Promise<PhaseResult> {
  const ids = Array.from({ length: 100 }, (_, i) => `f${i}`);
  const { server, secrets } = await startFlatOut(target, [...ids, 'after']);
  try {
    // On the bare broker, a subscriber that stops reading: the slow consumer of the failure seen.
    const slow =
      target.kind === 'aedes'
        ? await mqtt.connectAsync(server.mqttUrl, { clientId: 'slow-subscriber' })
        : undefined;
    await slow?.subscribeAsync('devices/+/vitals', { qos: 1 });
    slow?.stream.pause();
    const run = await drive(
      server,
      ids.map((id) => ({ id, secret: secrets.get(id) })),
      { kind: 'go', mode: 'flood', rateHz: 0, window: 0, durationMs: 10_000 },
    );
    // Afterwards, a new device must still get in and be acknowledged.
    let note = 'a new device connected and was acknowledged afterwards';
    try {
      const after = await mqtt.connectAsync(server.mqttUrl, {
        clientId: 'after',
        username: 'after',
        password: secrets.get('after'),
        connectTimeout: 10_000,
        reconnectPeriod: 0,
      });
      await Promise.race([
        after.publishAsync(
          'devices/after/vitals',
          JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 70 } }),
          { qos: 1 },
        ),
        sleep(10_000).then(() => {
          throw new Error('no PUBACK within 10 s');
        }),
      ]);
      after.end(true);
    } catch (error) {
      note = `afterwards a new device failed: ${(error as Error).message}`;
    }
    slow?.end(true);
    await sleep(1_000);
    const crash = server.crashed();
    const acknowledged = sum(run.done, 'acknowledged');
    await server.stop();
    const missing =
      target.kind === 'vigil'
        ? missingSamples(
            server,
            run.done.flatMap((report) => report.acknowledgedSamples),
          )
        : 0;
    return {
      target: target.name,
      phase: 'overload: 100 devices flood QoS 0+1 for 10 s, then all disconnect',
      connected: run.connected,
      sent: sum(run.done, 'sent'),
      acknowledged,
      stored: target.kind === 'vigil' ? storedSamples(server) - (crash ? 0 : 1) : undefined,
      rejected: sum(run.done, 'rejected'),
      perSecond: acknowledged / run.seconds,
      use: run.use,
      generatorCores: run.generatorCores,
      machineBusyCores: run.machineBusyCores,
      survived: !crash,
      missing: target.kind === 'vigil' ? missing : undefined,
      note: crash
        ? `CRASHED: ${crash}`
        : `${note}; ${sum(run.done, 'qos0')} QoS 0 offered; ${missing} acknowledged QoS 1 samples missing from the store`,
    };
  } finally {
    if (server.dataDir) rmSync(server.dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

function row(result: PhaseResult): string {
  const ms = (value: number | undefined) =>
    value === undefined || Number.isNaN(value)
      ? '-'
      : value === Infinity
        ? 'lost'
        : value.toFixed(0);
  const l = result.latency;
  return [
    result.target.padEnd(8),
    String(result.connected).padStart(6),
    String(result.sent).padStart(8),
    String(result.acknowledged).padStart(8),
    (result.stored === undefined ? '-' : String(result.stored)).padStart(8),
    result.perSecond.toFixed(0).padStart(7),
    (l ? `${ms(l.p50)}/${ms(l.p95)}/${ms(l.p99)}/${ms(l.max)}` : '-').padStart(20),
    result.use.cores.toFixed(2).padStart(5),
    // CPU per acknowledged message: what each message costs the server, whatever the load.
    ((result.use.cpuSeconds * 1e6) / Math.max(1, result.acknowledged)).toFixed(0).padStart(6),
    result.use.peakRssMb.toFixed(0).padStart(6),
    result.survived ? 'up' : 'DIED',
  ].join(' ');
}

/** Where the CPU went, per acknowledged message: the main thread, its other threads, the workers. */
function cpuByRole(result: PhaseResult): string {
  const { use, acknowledged } = result;
  const perMessage = (seconds: number) => ((seconds * 1e6) / Math.max(1, acknowledged)).toFixed(0);
  return (
    `CPU per message: main thread ${perMessage(use.mainThreadCpuSeconds)} us, its other threads ${perMessage(use.otherThreadsCpuSeconds)} us` +
    (use.childrenCpuSeconds > 0 ? `, edge workers ${perMessage(use.childrenCpuSeconds)} us` : '') +
    `; load generators ${result.generatorCores.toFixed(2)} cores; machine ${result.machineBusyCores.toFixed(2)} of ${cpus().length} cores busy`
  );
}

/** A run longer than a minute, minute by minute. */
function minuteTable(rows: MinuteRow[]): string[] {
  const value = (n: number | undefined, digits = 0) =>
    n === undefined ? '-' : n === Infinity ? 'lost' : n.toFixed(digits);
  return [
    'minute probes  latency p50/99/max ms  rssMB  busy  delay p99 ms  gc max/total ms',
    ...rows.map((r) =>
      [
        String(r.minute + 1).padStart(6),
        String(r.latency.count).padStart(6),
        `${value(r.latency.p50)}/${value(r.latency.p99)}/${value(r.latency.max)}`.padStart(22),
        value(r.peakRssMb).padStart(6),
        value(r.utilization, 2).padStart(5),
        value(r.delayP99Ms).padStart(13),
        `${value(r.gcPauseMaxMs)}/${value(r.gcPauseMs)}`.padStart(16),
      ].join(' '),
    ),
  ];
}

async function main(): Promise<void> {
  const conditions = {
    at: new Date().toISOString(),
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    devices: DEVICES,
    rateHz: RATE,
    durationSeconds: DURATION_S,
    probes: PROBES,
    generators: GENERATORS,
    workers: WORKERS,
  };
  console.log(`conditions: ${JSON.stringify(conditions)}\nlogs: ${logDir}`);
  const results: PhaseResult[] = [];
  const phases: Record<string, (target: Target) => Promise<PhaseResult>> = {
    steady,
    max: maxRate,
    overload,
  };
  for (const phase of PHASES) {
    for (const target of TARGETS) {
      console.log(`${phase}: ${target.name}...`);
      const result = await phases[phase](target);
      results.push(result);
      console.log(
        `  ${row(result)}\n  ${cpuByRole(result)}${result.note ? `\n  ${result.note}` : ''}`,
      );
      if (result.minutes && result.minutes.length > 1)
        console.log(
          minuteTable(result.minutes)
            .map((line) => `  ${line}`)
            .join('\n'),
        );
    }
  }
  const header =
    'who      connec     sent    acked   stored   msg/s  latency p50/95/99/max ms  cpu  us/msg  rssMB state';
  const lines = [header];
  for (const phase of PHASES) {
    const ofPhase = results.filter((r) => r.phase.startsWith(phase === 'max' ? 'max' : phase));
    const bare = ofPhase.find((r) => r.target === 'aedes');
    const vigils = ofPhase.filter((r) => r.target !== 'aedes');
    if (vigils.length === 0) continue;
    lines.push(`-- ${vigils[0].phase}`, ...ofPhase.map(row));
    for (const vigil of vigils) {
      lines.push(`   ${vigil.target}: ${cpuByRole(vigil)}`);
      if (bare)
        lines.push(
          `   ${vigil.target}/bare: throughput ${(vigil.perSecond / bare.perSecond).toFixed(2)}, peak memory ${(vigil.use.peakRssMb / bare.use.peakRssMb).toFixed(2)}` +
            (vigil.latency && bare.latency && Number.isFinite(bare.latency.p99)
              ? `, p99 latency ${(vigil.latency.p99 / bare.latency.p99).toFixed(2)}`
              : ''),
        );
      if (vigil.missing !== undefined)
        lines.push(
          `   ${vigil.target} loss at QoS 1: ${vigil.missing} acknowledged samples missing from the store`,
        );
      else if (vigil.stored !== undefined)
        lines.push(
          `   ${vigil.target} loss at QoS 1: ${vigil.acknowledged - vigil.rejected - vigil.stored} acknowledged samples not stored`,
        );
    }
    if (vigils.length === 2)
      lines.push(
        `   ${vigils[1].target}/${vigils[0].target}: throughput ${(vigils[1].perSecond / vigils[0].perSecond).toFixed(2)}` +
          (vigils[0].latency && vigils[1].latency
            ? `, p99 latency ${(vigils[1].latency.p99 / vigils[0].latency.p99).toFixed(2)}`
            : ''),
      );
  }
  console.log(`\n${lines.join('\n')}`);
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `line-${conditions.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ conditions, results, table: lines }, null, 2));
  console.log(`\nwritten to ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
