export * from './auth.dto';
export * from './queries.dto';
export * from './registry.dto';
export * from './telemetry.dto';
export * from './notification.dto';
export * from './api-client.dto';
