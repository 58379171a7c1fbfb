import { deviceTopic, type TelemetryRejection } from '@vigil/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { frameAt, type SimulatedPatient } from './patient-scenarios';
import type { SeededRandom } from './random';
import type { RecordedMessage } from './recording';

export interface WearableCounters {
  sent: number;
  acknowledged: number;
  rejected: number;
  /** Samples held while the wearable was offline, sent later in batches. */
  buffered: number;
}

export function newCounters(): WearableCounters {
  return { sent: 0, acknowledged: 0, rejected: 0, buffered: 0 };
}

export interface WearableRun {
  readonly mqttUrl: string;
  readonly rateHz: number;
  /** Scenario seconds per wall-clock second: 60 plays an hour of sepsis in a minute. */
  readonly speed: number;
  readonly startedAt: number;
  readonly record?: (message: RecordedMessage) => void;
}

/** A wearable's batch limit, as Vigil's contract allows (500 samples a message). */
const BATCH = 500;
const RECONNECT_MS = 2_000;

type Sample = { ts: number; seq: number; vitals: Record<string, unknown> };

/**
 * One wearable: its own MQTT connection (QoS 1, persistent session, a will on its status topic),
 * publishing its patient's scenario at a fixed rate. When the scenario takes its network away it
 * drops the connection without a goodbye, keeps its samples, and sends them as batches when back.
 */
export class SimulatedWearable {
  private client?: MqttClient;
  private timer?: NodeJS.Timeout;
  private seq = 0;
  private online = true;
  private sensorOn = true;
  private readonly held: Sample[] = [];
  private run?: WearableRun;

  constructor(
    readonly deviceId: string,
    private readonly secret: string,
    readonly patient: SimulatedPatient,
    private readonly random: SeededRandom,
    private readonly counters: WearableCounters,
  ) {}

  async start(run: WearableRun): Promise<void> {
    this.run = run;
    this.client = await mqtt.connectAsync(run.mqttUrl, {
      clientId: this.deviceId,
      username: this.deviceId,
      password: this.secret,
      clean: false,
      reconnectPeriod: RECONNECT_MS,
      will: {
        topic: deviceTopic(this.deviceId, 'status'),
        payload: Buffer.from('{"state":"offline"}'),
        qos: 1,
        retain: false,
      },
    });
    await this.client.subscribeAsync(deviceTopic(this.deviceId, 'errors'), { qos: 1 });
    this.client.on('message', (_topic, payload) => {
      this.counters.rejected += 1;
      const rejection = JSON.parse(payload.toString()) as TelemetryRejection;
      console.error(`${this.deviceId}: rejected ${rejection.code}: ${rejection.detail.join('; ')}`);
    });
    this.client.on('connect', () => {
      if (this.online) this.flushHeld();
    });
    this.publish('status', { state: 'online', sensor: 'on' });
    this.timer = setInterval(() => this.tick(), 1000 / run.rateHz);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client?.endAsync();
  }

  private tick(): void {
    const run = this.run as WearableRun;
    const now = Date.now();
    const frame = frameAt(this.patient, ((now - run.startedAt) / 1000) * run.speed, this.random);
    if (frame.connected !== this.online) this.setOnline(frame.connected);
    if (frame.sensorOn !== this.sensorOn) {
      this.sensorOn = frame.sensorOn;
      if (this.online)
        this.publish('status', { state: 'online', sensor: frame.sensorOn ? 'on' : 'off' });
    }
    if (!frame.sensorOn) return;
    const sample: Sample = {
      ts: now,
      seq: ++this.seq,
      vitals: {
        ...frame.vitals,
        consciousness: frame.consciousness,
        onOxygen: frame.onOxygen,
        battery: frame.battery,
      },
    };
    if (this.online) this.publish('vitals', sample);
    else {
      this.held.push(sample);
      this.counters.buffered += 1;
    }
  }

  /** Losing the network sends no DISCONNECT, so the broker publishes the will. */
  private setOnline(online: boolean): void {
    const client = this.client as MqttClient;
    this.online = online;
    if (!online) {
      client.options.reconnectPeriod = 0;
      client.stream.destroy();
    } else {
      client.options.reconnectPeriod = RECONNECT_MS;
      client.reconnect();
    }
  }

  private flushHeld(): void {
    while (this.held.length > 0) this.publish('vitals', { samples: this.held.splice(0, BATCH) });
  }

  private publish(channel: 'vitals' | 'status', payload: Record<string, unknown>): void {
    const run = this.run as WearableRun;
    run.record?.({ at: Date.now() - run.startedAt, deviceId: this.deviceId, channel, payload });
    const samples = channel === 'vitals' ? ((payload.samples as unknown[])?.length ?? 1) : 0;
    this.counters.sent += samples;
    this.client?.publish(
      deviceTopic(this.deviceId, channel),
      JSON.stringify(payload),
      { qos: 1 },
      (error) => {
        if (!error) this.counters.acknowledged += samples;
      },
    );
  }
}
