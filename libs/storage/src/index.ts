export * from './registry-store.port';
export * from './storage.module';
export * from './telemetry-store.port';
export type { InfluxApi, InfluxOptions } from './influx/influx-options';
