export * from './alarm-load.port';
export * from './alert-store.port';
export * from './hl7-message-log.port';
export * from './notification-store.port';
export * from './observation-store.port';
export * from './registry-store.port';
export * from './rule-state-store.port';
export * from './storage.module';
export * from './telemetry-store.port';
export * from './user-store.port';
export type { InfluxApi, InfluxOptions } from './influx/influx-options';
// Adapters, for tools that drive a store without Nest (npm run bench).
export { openEmbeddedDatabase } from './embedded-database';
export { EmbeddedHistoryReader } from './embedded-history-reader';
export { EmbeddedWriter } from './embedded-writer';
export { InfluxConnection, quietInfluxClientLogs } from './influx/influx-connection';
export { InfluxTelemetryStore } from './influx/influx-telemetry.store';
export { DEFAULT_DRAINER_OPTIONS } from './influx/spool-drainer';
export { EmbeddedTelemetryStore } from './embedded-telemetry.store';
