export * from './alarm-load.port';
export * from './alert-store.port';
export * from './hl7-message-log.port';
export * from './hl7-outbox.port';
export * from './notification-store.port';
export * from './observation-store.port';
export * from './registry-store.port';
export * from './rule-state-store.port';
export * from './storage.module';
export * from './telemetry-store.port';
export * from './user-store.port';
export type { InfluxApi, InfluxOptions } from './influx/influx-options';
// Adapters, for tools that drive a store without Nest (npm run bench) and adapter tests.
export { openEmbeddedDatabase } from './embedded-database';
export { EmbeddedHistoryReader } from './embedded-history-reader';
export { EmbeddedWriter } from './embedded-writer';
export { InfluxConnection, quietInfluxClientLogs } from './influx/influx-connection';
export { InfluxTelemetryStore } from './influx/influx-telemetry.store';
export { DEFAULT_DRAINER_OPTIONS } from './influx/spool-drainer';
export { EmbeddedTelemetryStore } from './embedded-telemetry.store';
export { EmbeddedNotificationStore } from './embedded-notification.store';
export { EmbeddedRegistryStore } from './embedded-registry.store';
export { PartitionLeases, FencedError, type PartitionLease } from './postgres/partition-leases';
export {
  PartitionOwnership,
  type PartitionHolder,
  type PartitionOwnershipOptions,
} from './postgres/partition-ownership';
export { PostgresRegistryStore } from './postgres/postgres-registry.store';
export { PostgresUserStore } from './postgres/postgres-user.store';
export { PostgresAlertStore } from './postgres/postgres-alert.store';
export { PostgresObservationStore } from './postgres/postgres-observation.store';
export { PostgresNotificationStore } from './postgres/postgres-notification.store';
export { CHANGES_CHANNEL } from './postgres/postgres-audit-log';
