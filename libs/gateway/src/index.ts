export * from './care-access.port';
export * from './gateway.module';
export * from './live-vitals';
export * from './cluster-io.adapter';
