import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AedesBroker } from './aedes.types';
import type { CertifiedConnection } from './device-access.hooks';
import { guardConnection } from './mqtt-frame-limit';
import { BROKER_OPTIONS, type BrokerOptions } from './broker.port';
import { DeviceConnections } from './device-connections';

export const AEDES_BROKER = Symbol('AedesBroker');

/** The MQTT listener around the aedes broker: opens on bootstrap, closes on shutdown. */
@Injectable()
export class MqttBrokerService
  extends DeviceConnections
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(MqttBrokerService.name);
  private readonly servers: { server: Server; port: number; name: string }[] = [];

  constructor(
    @Inject(AEDES_BROKER) private readonly broker: AedesBroker,
    @Inject(BROKER_OPTIONS) private readonly options: BrokerOptions,
  ) {
    super();
    // A packet past four times the payload limit closes the connection before it is buffered;
    // one between the two limits is read and answered with TELEMETRY.PAYLOAD_TOO_LARGE.
    const maxFrameBytes = options.maxPayloadBytes * 4;
    if (options.port !== null) {
      const plain = createServer((socket) => {
        socket.setNoDelay(true);
        broker.handle(guardConnection(socket, maxFrameBytes));
      });
      this.servers.push({ server: plain, port: options.port, name: 'MQTT' });
    }
    if (options.tls) {
      const { key, cert, clientCa } = options.tls;
      // Client certificates are asked for but not required: devices without one use their secret.
      const secure = createTlsServer(
        { key, cert, ca: clientCa, requestCert: Boolean(clientCa), rejectUnauthorized: false },
        (socket) => {
          socket.setNoDelay(true);
          const connection = guardConnection(socket, maxFrameBytes);
          const subject = socket.authorized ? socket.getPeerCertificate().subject?.CN : undefined;
          if (typeof subject === 'string')
            Object.assign(connection, { certifiedDeviceId: subject } satisfies CertifiedConnection);
          broker.handle(connection);
        },
      );
      this.servers.push({ server: secure, port: options.tls.port, name: 'MQTT over TLS' });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const { server, port, name } of this.servers) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.options.host, () => resolve());
      });
      this.logger.log(`${name} listening on port ${(server.address() as AddressInfo).port}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const closed = this.servers.map(
      ({ server }) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await Promise.all(closed);
  }

  /** The plain MQTT port. */
  get port(): number {
    return this.portOf('MQTT');
  }

  get tlsPort(): number {
    return this.portOf('MQTT over TLS');
  }

  get isUp(): boolean {
    return this.servers.every(({ server }) => server.listening) && !this.broker.closed;
  }

  disconnect(deviceId: string): boolean {
    // aedes keeps connected clients by id; `clients` is public on the instance, not in its types.
    const client = (
      this.broker as unknown as { clients: Record<string, { close(): void } | undefined> }
    ).clients[deviceId];
    client?.close();
    return client !== undefined;
  }

  private portOf(name: string): number {
    const entry = this.servers.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`${name} is switched off`);
    return (entry.server.address() as AddressInfo).port;
  }

  get connectedDevices(): number {
    return this.broker.connectedClients;
  }
}
