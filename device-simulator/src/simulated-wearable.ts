import { deviceTopic, type TelemetryRejection } from '@vigil/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { vitalsAt, type SimulatedPatient } from './patient-scenarios';
import type { SeededRandom } from './random';

export interface WearableCounters {
  sent: number;
  acknowledged: number;
  rejected: number;
}

/** One wearable: its own MQTT connection (QoS 1, persistent session), publishing at a fixed rate. */
export class SimulatedWearable {
  private client?: MqttClient;
  private timer?: NodeJS.Timeout;
  private seq = 0;

  constructor(
    readonly deviceId: string,
    private readonly secret: string,
    private readonly patient: SimulatedPatient,
    private readonly random: SeededRandom,
    private readonly counters: WearableCounters,
  ) {}

  async start(mqttUrl: string, rateHz: number, startedAt: number): Promise<void> {
    this.client = await mqtt.connectAsync(mqttUrl, {
      clientId: this.deviceId,
      username: this.deviceId,
      password: this.secret,
      clean: false,
      reconnectPeriod: 2_000,
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
    await this.client.publishAsync(deviceTopic(this.deviceId, 'status'), '{"state":"online"}', {
      qos: 1,
    });
    this.timer = setInterval(() => this.publishSample(startedAt), 1000 / rateHz);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client?.endAsync();
  }

  private publishSample(startedAt: number): void {
    const now = Date.now();
    const vitals = vitalsAt(this.patient, (now - startedAt) / 1000, this.random);
    const payload = JSON.stringify({
      ts: now,
      seq: ++this.seq,
      vitals: { ...vitals, consciousness: 'A', onOxygen: false, battery: 90 },
    });
    this.counters.sent += 1;
    this.client?.publish(deviceTopic(this.deviceId, 'vitals'), payload, { qos: 1 }, (error) => {
      if (!error) this.counters.acknowledged += 1;
    });
  }
}
