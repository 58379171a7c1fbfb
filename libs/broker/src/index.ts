export * from './broker.module';
export * from './broker.ports';
export { MqttBrokerService } from './mqtt-broker.service';
export { TokenBuckets } from './token-bucket';
