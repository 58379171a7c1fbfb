import type { BrokerOptions } from '@vigil/broker';
import type { VigilConfig } from './vigil-config';

/** The MQTT listeners' options, the same wherever the broker runs (here or in edge workers). */
export function brokerOptions(config: VigilConfig): BrokerOptions {
  return {
    port: config.mqttPort,
    tls: config.tls && {
      port: config.tls.mqttsPort,
      key: config.tls.key,
      cert: config.tls.cert,
      clientCa: config.tls.clientCa,
    },
    host: config.bindAddress,
    maxPayloadBytes: config.mqttMaxPayloadBytes,
    maxMessagesPerSecond: config.mqttMaxMessagesPerSecond,
    maxTopicLevels: 8,
  };
}
