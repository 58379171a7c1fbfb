import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { AedesBroker } from './aedes.types';
import { limitFrames } from './mqtt-frame-limit';
import { BROKER_OPTIONS, type BrokerOptions } from './broker.ports';

export const AEDES_BROKER = Symbol('AedesBroker');

/** The MQTT listener around the aedes broker: opens on bootstrap, closes on shutdown. */
@Injectable()
export class MqttBrokerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MqttBrokerService.name);
  private readonly server: Server;

  constructor(
    @Inject(AEDES_BROKER) private readonly broker: AedesBroker,
    @Inject(BROKER_OPTIONS) private readonly options: BrokerOptions,
  ) {
    // A packet past four times the payload limit closes the connection before it is buffered;
    // one between the two limits is read and answered with TELEMETRY.PAYLOAD_TOO_LARGE.
    const maxFrameBytes = options.maxPayloadBytes * 4;
    this.server = createServer((socket) => {
      socket.setNoDelay(true);
      broker.handle(limitFrames(socket, maxFrameBytes));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.logger.log(`MQTT listening on port ${this.port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await closed;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get isUp(): boolean {
    return this.server.listening && !this.broker.closed;
  }

  /** Closes a device's connection now (its secret was rotated or revoked). */
  disconnect(deviceId: string): boolean {
    // aedes keeps connected clients by id; `clients` is public on the instance, not in its types.
    const client = (
      this.broker as unknown as { clients: Record<string, { close(): void } | undefined> }
    ).clients[deviceId];
    client?.close();
    return client !== undefined;
  }

  get connectedDevices(): number {
    return this.broker.connectedClients;
  }
}
