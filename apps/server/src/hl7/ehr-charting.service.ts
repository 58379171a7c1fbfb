import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AlertsService, type WardAlarm } from '@vigil/alerts';
import type { Patient } from '@vigil/contracts';
import {
  HL7_OUTBOX,
  OBSERVATION_STORE,
  TELEMETRY_STORE,
  type Hl7OutboundMessage,
  type Hl7Outbox,
  type NewHl7Message,
  type ObservationStore,
  type TelemetryStore,
} from '@vigil/storage';
import { retryDelayMs } from '../notifications/retry-delay';
import { PatientRegistry } from '../registry/patient-registry';
import { deviceMedians, dueIntervals, firstMark, type ChartingInterval } from './interval-charting';
import { MllpClient, MllpSendError } from './mllp-client';
import { HL7_OUT_OPTIONS, type Hl7OutOptions } from './hl7-out-options';
import { pcd01Message } from './pcd01-message';

/** The ward's technical alarm when its charting to the EHR does not get through. */
export const HL7_STALLED = 'hl7.outbound-stalled';
/** Intervals charted for one patient at one tick, so catching up after an outage is gradual. */
const MAX_INTERVALS_PER_TICK = 30;
const TICK_MS = 1_000;
/**
 * After a start, charting waits this long (or the grace, if longer) for wearables to reconnect
 * and send what they held while Vigil was down, so the intervals of the gap are not charted empty.
 */
const STARTUP_HOLD_MS = 15_000;
/** A patient's samples read for one interval: an hour at 5 Hz. */
const MAX_SAMPLES_PER_INTERVAL = 20_000;
/** Due messages taken from the outbox at a time. */
const DELIVERY_BATCH = 100;

/**
 * Charts each admitted patient's vital signs to the EHR (IHE PCD-01 over MLLP): at the end of each
 * interval of her ward, the medians of each device's samples and her nurses' sets go into a
 * durable outbox, in the same transaction that moves her charting mark; the outbox is delivered
 * one message at a time, each waiting for its ACK, a patient's messages in order.
 */
@Injectable()
export class EhrCharting implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EhrCharting.name);
  private readonly client: MllpClient;
  private marks = new Map<string, number>();
  private readonly visitNumbers = new Map<string, string | undefined>();
  private ticker?: NodeJS.Timeout;
  private charting?: Promise<void>;
  private delivering?: Promise<void>;
  private wake: () => void = () => undefined;
  private stopping = false;
  /** Whether the last attempt reached the EHR: an outage is logged once, when it begins. */
  private reachedBefore = true;
  private readonly startedAt = Date.now();
  readonly counters = { acknowledged: 0, refused: 0, failedAttempts: 0, outboxDepth: 0 };

  constructor(
    @Inject(HL7_OUT_OPTIONS) private readonly options: Hl7OutOptions,
    @Inject(HL7_OUTBOX) private readonly outbox: Hl7Outbox,
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore,
    @Inject(OBSERVATION_STORE) private readonly observations: ObservationStore,
    private readonly patients: PatientRegistry,
    private readonly alerts: AlertsService,
  ) {
    this.client = new MllpClient({
      host: options.host,
      port: options.port,
      ackTimeoutMs: options.ackTimeoutMs,
      ...(options.tls && { tls: options.tls }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.marks = await this.outbox.marks();
    this.ticker = setInterval(() => {
      if (this.charting) return;
      this.charting = this.tick(Date.now())
        .catch((error: unknown) => this.logger.error(`charting failed: ${String(error)}`))
        .finally(() => (this.charting = undefined));
    }, TICK_MS);
    this.delivering = this.deliver();
  }

  /** Stops charting and delivering; a message in flight is let finish (bounded by its time-out). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.ticker);
    this.wake();
    await this.charting;
    await this.delivering;
    this.client.close();
  }

  /** Charts what is due, then raises or clears the wards' alarms. */
  async tick(now: number): Promise<void> {
    const holding = now < this.startedAt + Math.max(this.options.graceMs, STARTUP_HOLD_MS);
    // Patients are read one after another; their writes are awaited together, so the writer
    // commits many patients' marks and messages in one transaction.
    const writes: Promise<void>[] = [];
    for (const patient of holding ? [] : this.patients.list()) {
      if (this.stopping) break;
      await this.chartPatient(patient, now, writes);
    }
    await Promise.all(writes);
    await this.checkStalls(now);
    this.counters.outboxDepth = await this.outbox.depth();
  }

  private intervalOf(ward: string): number {
    return this.options.wardIntervalsMs[ward] ?? this.options.intervalMs;
  }

  private async chartPatient(
    patient: Patient,
    now: number,
    writes: Promise<void>[],
  ): Promise<void> {
    const intervalMs = this.intervalOf(patient.ward);
    const admitted = firstMark(Date.parse(patient.admittedAt), intervalMs);
    const known = this.marks.get(patient.id);
    if (patient.status === 'discharged' && known === undefined) return;
    // From her admission, or from when this interface started if she was admitted before; a
    // readmission starts from its admission, not from the last stay's end.
    const mark = Math.max(known ?? firstMark(this.startedAt, intervalMs), admitted);
    if (known === undefined) {
      writes.push(this.outbox.chart(patient.id, mark, undefined));
      this.marks.set(patient.id, mark);
    }
    const until = patient.dischargedAt ? Date.parse(patient.dischargedAt) : Infinity;
    for (const due of dueIntervals(
      mark,
      now,
      intervalMs,
      this.options.graceMs,
      MAX_INTERVALS_PER_TICK,
    )) {
      if (due.start >= until) break;
      const interval = { start: due.start, end: Math.min(due.end, until) };
      const message = await this.messageFor(patient, interval, now);
      // Queued in order: the writer commits a patient's intervals in the order asked for.
      writes.push(
        this.outbox.chart(patient.id, interval.end, message).then(() => {
          if (message) this.wake();
        }),
      );
      this.marks.set(patient.id, interval.end);
    }
  }

  private async messageFor(
    patient: Patient,
    interval: ChartingInterval,
    now: number,
  ): Promise<NewHl7Message | undefined> {
    const [samples, sets] = await Promise.all([
      this.telemetry.querySamples({
        patientId: patient.id,
        from: interval.start,
        to: interval.end,
        limit: MAX_SAMPLES_PER_INTERVAL,
      }),
      this.observations.list({
        patientId: patient.id,
        from: interval.start,
        to: interval.end - 1,
        limit: 1_000,
      }),
    ]);
    const nurses = sets
      .filter((set) => set.enteredInError === undefined)
      .reverse()
      .map((set) => ({
        effectiveAt: Date.parse(set.effectiveAt),
        recordedBy: set.recordedBy,
        vitals: set.vitals,
      }));
    if (samples.length === 0 && nurses.length === 0) return undefined;
    const visitNumber = await this.visitNumberOf(patient);
    const controlId = `${patient.id}.${interval.start}`;
    return {
      ward: patient.ward,
      controlId,
      queuedAt: now,
      message: pcd01Message({
        controlId,
        sentAt: now,
        patient,
        ...(visitNumber !== undefined && { visitNumber }),
        ...(this.options.receiver && { receiver: this.options.receiver }),
        start: interval.start,
        end: interval.end,
        devices: deviceMedians(samples),
        nurses,
      }),
    };
  }

  /** PV1-19: her stay's visit number, read once per stay. */
  private async visitNumberOf(patient: Patient): Promise<string | undefined> {
    if (!this.visitNumbers.has(patient.stayId)) {
      const stay = (await this.patients.stays(patient.id)).find((s) => s.id === patient.stayId);
      this.visitNumbers.set(patient.stayId, stay?.visitNumber);
    }
    return this.visitNumbers.get(patient.stayId);
  }

  /**
   * Sends the outbox's due messages one at a time. `AA` (or `CA`) removes a message; `AE`, `AR` and
   * a time-out retry it with backoff while other patients' messages go on; a peer that cannot be
   * reached pauses all sending, with the same backoff, until it answers. The due messages are
   * taken a batch at a time, each its patient's first, and their outcomes written together, so
   * the next message does not wait for the last one's commit.
   */
  private async deliver(): Promise<void> {
    let unreachable = 0;
    while (!this.stopping) {
      const now = Date.now();
      const heads = await this.outbox.dueHeads(now, DELIVERY_BATCH);
      if (heads.length === 0) {
        const at = await this.outbox.nextAttemptAt();
        await this.pause(at === undefined ? 60_000 : Math.max(at - now, 10));
        continue;
      }
      const outcomes: Promise<void>[] = [];
      let reached = true;
      for (const next of heads) {
        if (this.stopping) break;
        reached = await this.attempt(next, outcomes);
        if (!reached) break;
      }
      await Promise.all(outcomes);
      if (reached) {
        unreachable = 0;
        continue;
      }
      unreachable += 1;
      await this.pause(retryDelayMs(unreachable, this.options.retryMaxMs));
    }
  }

  /** Sends one message and queues the writing of its outcome; false when the EHR was not reached. */
  private async attempt(next: Hl7OutboundMessage, outcomes: Promise<void>[]): Promise<boolean> {
    try {
      const answer = await this.client.send(next.message, next.controlId);
      if (answer.code === 'AA' || answer.code === 'CA') {
        outcomes.push(this.outbox.acknowledged(next.seq));
        this.counters.acknowledged += 1;
      } else {
        this.counters.refused += 1;
        outcomes.push(this.retryLater(next.seq, next.attempts, `${answer.code}: ${answer.text}`));
      }
      this.reachedBefore = true;
      return true;
    } catch (error) {
      this.counters.failedAttempts += 1;
      if (!(error instanceof MllpSendError) || /no ACK within/.test(error.message)) {
        // Delivery never stops on a surprise: the message waits its turn again, logged.
        if (!(error instanceof MllpSendError))
          this.logger.error(`HL7 message ${next.seq}: ${String(error)}`);
        outcomes.push(this.retryLater(next.seq, next.attempts, String((error as Error).message)));
        return true;
      }
      if (this.reachedBefore)
        this.logger.warn(
          `EHR at ${this.options.host}:${this.options.port}: ${error.message}; retrying`,
        );
      this.reachedBefore = false;
      return false;
    }
  }

  private retryLater(seq: number, attempts: number, why: string): Promise<void> {
    this.logger.warn(`HL7 message ${seq} not accepted (${why}); retrying`);
    return this.outbox.failed(
      seq,
      Date.now() + retryDelayMs(attempts + 1, this.options.retryMaxMs),
      why,
    );
  }

  /** Waits `ms`, or until something is queued or Vigil stops. */
  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async checkStalls(now: number): Promise<void> {
    const alarms = new Map<string, WardAlarm>();
    const afterMinutes = Math.round(this.options.alarmAfterMs / 60_000);
    for (const [ward, oldest] of await this.outbox.oldestByWard()) {
      if (now - oldest < this.options.alarmAfterMs) continue;
      alarms.set(ward, {
        value: Math.round((now - oldest) / 1000),
        threshold: this.options.alarmAfterMs / 1000,
        priority: 'low',
        ts: now,
        message: `Vital signs of this ward have not reached the EHR for over ${afterMinutes} min: its flowsheet is behind; Vigil keeps them and sends them when the EHR answers.`,
      });
    }
    await this.alerts
      .settleWardAlarms(HL7_STALLED, alarms)
      .catch((error: unknown) => this.logger.error(`${HL7_STALLED} not settled: ${String(error)}`));
  }
}
