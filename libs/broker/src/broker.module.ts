import { Logger, Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { loadAedes, type AedesBroker, type AedesClient } from './aedes.types';
import {
  BROKER_OPTIONS,
  DEVICE_ACCESS_POLICY,
  DEVICE_MESSAGE_HANDLER,
  type BrokerOptions,
  type DeviceAccessPolicy,
  type DeviceMessageHandler,
} from './broker.port';
import { confirmAccess, deviceAccessHooks } from './device-access.hooks';
import { publishRejection } from './device-replies';
import { printable } from './printable';
import { DeviceConnections } from './device-connections';
import { AEDES_BROKER, MqttBrokerService } from './mqtt-broker.service';

export interface BrokerModuleOptions {
  readonly options: BrokerOptions;
  /** Modules exporting the two providers below. */
  readonly imports?: ModuleMetadata['imports'];
  readonly accessPolicy: Type<DeviceAccessPolicy>;
  readonly messageHandler: Type<DeviceMessageHandler>;
}

async function createAedesBroker(
  options: BrokerOptions,
  policy: DeviceAccessPolicy,
  handler: DeviceMessageHandler,
): Promise<AedesBroker> {
  const logger = new Logger('MqttBroker');
  const { Aedes } = await loadAedes();
  const broker: AedesBroker = await Aedes.createBroker({
    maxTopicLevels: options.maxTopicLevels,
    connectTimeout: 10_000,
    ...deviceAccessHooks(options, policy, handler, (deviceId, rejection) =>
      publishRejection(broker, deviceId, rejection, (error) =>
        logger.warn(`could not answer device ${deviceId}: ${error.message}`),
      ),
    ),
  });
  const closeRevoked = (client: AedesClient) => {
    logger.warn(`device ${client.id}: its secret changed while it connected; connection closed`);
    client.close();
  };
  broker.on('clientReady', (client) => {
    handler.deviceConnected(client.id);
    confirmAccess(client, policy).then(
      (admitted) => admitted || closeRevoked(client),
      () => closeRevoked(client),
    );
  });
  broker.on('clientDisconnect', (client) => handler.deviceDisconnected(client.id));
  // Before authentication a client id is whatever the client sent: printable() makes it safe.
  broker.on('clientError', (client, error) =>
    logger.warn(`client ${printable(client.id)}: ${error.message}`),
  );
  broker.on('connectionError', (client, error) =>
    logger.warn(`connection of client ${printable(client.id ?? '')} failed: ${error.message}`),
  );
  return broker;
}

@Module({})
export class BrokerModule {
  static forRoot(config: BrokerModuleOptions): DynamicModule {
    return {
      module: BrokerModule,
      imports: config.imports ?? [],
      providers: [
        { provide: BROKER_OPTIONS, useValue: config.options },
        { provide: DEVICE_ACCESS_POLICY, useExisting: config.accessPolicy },
        { provide: DEVICE_MESSAGE_HANDLER, useExisting: config.messageHandler },
        {
          provide: AEDES_BROKER,
          useFactory: createAedesBroker,
          inject: [BROKER_OPTIONS, DEVICE_ACCESS_POLICY, DEVICE_MESSAGE_HANDLER],
        },
        MqttBrokerService,
        { provide: DeviceConnections, useExisting: MqttBrokerService },
      ],
      exports: [MqttBrokerService, DeviceConnections],
    };
  }
}
