export * from './default-thresholds';
export * from './evaluate-patient';
export * from './evaluate-sample';
export * from './threshold-rule';
export * from './news2';
export * from './technical-alarms';
export * from './news2-alerting';
export * from './observation-schedule';
