export * from './acknowledgement.service';
export * from './alert-book';
export * from './alerts.module';
export * from './alerts.service';
export * from './connection-outages';
export * from './patient-wards.port';
export * from './alarm-load';
export * from './patient-ownership';
