export * from './clinical-profiles.port';
export * from './device-directory.port';
export * from './ingest.module';
export * from './ingest.service';
export * from './telemetry-parser';
export * from './clinical-evaluator';
export * from './device-watch.service';
export * from './trend-watch';
