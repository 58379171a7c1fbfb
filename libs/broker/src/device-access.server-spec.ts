// The broker's access hooks on a real aedes, on a port, with mqtt.js: a secret rotated while a
// device's connection was being set up (after its secret was checked, before the registry could
// see the connection to close it) still ends that connection.
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TelemetryRejection } from '@vigil/contracts';
import mqtt from 'mqtt';
import { BrokerModule } from './broker.module';
import type { DeviceAccessPolicy, DeviceMessageHandler } from './broker.port';
import { MqttBrokerService } from './mqtt-broker.service';

/** A registry of one device whose secret an administrator rotates as soon as it is checked. */
@Injectable()
class RotatingRegistry implements DeviceAccessPolicy {
  secret = 'first-secret';
  rotateOnCheck = false;

  verifyDevice(deviceId: string, password: Buffer | undefined): Promise<boolean> {
    const valid = deviceId === 'wear-1' && password?.toString('utf8') === this.secret;
    if (this.rotateOnCheck) this.secret = 'second-secret';
    return Promise.resolve(valid);
  }

  acceptsCertificate(): boolean {
    return false;
  }
}

@Injectable()
class QuietHandler implements DeviceMessageHandler {
  readonly connected: string[] = [];

  handleMessage(): Promise<TelemetryRejection | undefined> {
    return Promise.resolve(undefined);
  }
  countRejection(): void {}
  deviceConnected(deviceId: string): void {
    this.connected.push(deviceId);
  }
  deviceDisconnected(): void {}
}

@Module({ providers: [RotatingRegistry, QuietHandler], exports: [RotatingRegistry, QuietHandler] })
class FakesModule {}

describe('the broker confirms a connection once it is ready (aedes on a port, mqtt.js)', () => {
  let app: INestApplicationContext;
  let registry: RotatingRegistry;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(
      BrokerModule.forRoot({
        options: {
          port: 0,
          host: '127.0.0.1',
          maxPayloadBytes: 64 * 1024,
          maxMessagesPerSecond: 100,
          maxTopicLevels: 3,
        },
        imports: [FakesModule],
        accessPolicy: RotatingRegistry,
        messageHandler: QuietHandler,
      }),
      { logger: false },
    );
    await app.init();
    registry = app.get(RotatingRegistry);
    url = `mqtt://127.0.0.1:${app.get(MqttBrokerService).port}`;
  });

  afterAll(() => app?.close());

  beforeEach(() => {
    registry.secret = 'first-secret';
    registry.rotateOnCheck = false;
  });

  const connect = (password: string) =>
    mqtt.connectAsync(url, {
      clientId: 'wear-1',
      username: 'wear-1',
      password,
      reconnectPeriod: 0,
    });

  it('keeps a connection whose secret is still the device’s once it is ready', async () => {
    const device = await connect('first-secret');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(device.connected).toBe(true);
    expect(app.get(QuietHandler).connected).toContain('wear-1');
    await device.endAsync();
  });

  it('closes a connection whose secret was rotated after it was checked', async () => {
    registry.rotateOnCheck = true;
    const device = await connect('first-secret');
    const closed = new Promise<boolean>((resolve) => {
      device.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 5_000);
    });
    expect(await closed).toBe(true);
    device.end(true);
    // The new secret gets in, and stays in.
    registry.rotateOnCheck = false;
    const again = await connect('second-secret');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(again.connected).toBe(true);
    await again.endAsync();
  });
});
