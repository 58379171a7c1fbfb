export * from './gateway.module';
export * from './live-vitals';
