export * from './broker.module';
export * from './broker.port';
export { MqttBrokerService } from './mqtt-broker.service';
export { DeviceConnections, type EdgeWorkersReport } from './device-connections';
export { TokenBuckets } from './token-bucket';
