export * from './alert';
export * from './care-events';
export * from './registry.dto';
export * from './sample';
export * from './telemetry-rejection';
export * from './telemetry.dto';
export * from './topics';
export * from './vital-signs.catalogue';
