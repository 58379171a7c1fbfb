import { Point, type PointSettings } from '@influxdata/influxdb-client';
import { VITAL_NAMES, type AlertEvent, type Sample } from '@vigil/contracts';
import { ALERT_EVENTS_MEASUREMENT, VITALS_MEASUREMENT } from './influx-options';

// Timestamps are written in milliseconds, the device's own precision.
const MILLISECONDS: Partial<PointSettings> = { convertTime: (value) => String(value) };

/**
 * One sample as one line: tagged by patient, device and ward, one field per vital. The same
 * device and timestamp make the same point, so a re-sent sample overwrites rather than doubles.
 */
export function sampleLine(sample: Sample): string {
  const point = new Point(VITALS_MEASUREMENT)
    .tag('patient', sample.patientId)
    .tag('device', sample.deviceId)
    .intField('seq', sample.seq)
    .timestamp(sample.ts);
  if (sample.ward) point.tag('ward', sample.ward);
  for (const name of VITAL_NAMES) {
    const value = sample.vitals[name];
    if (value !== undefined) point.floatField(name, value);
  }
  if (sample.consciousness !== undefined) point.stringField('consciousness', sample.consciousness);
  if (sample.onOxygen !== undefined) point.booleanField('onOxygen', sample.onOxygen);
  if (sample.battery !== undefined) point.floatField('battery', sample.battery);
  return point.toLineProtocol(MILLISECONDS) as string;
}

/** One alert event: tagged by patient and alert id, the whole alert as JSON in `body`. */
export function alertEventLine(event: AlertEvent): string {
  const { alert } = event;
  return new Point(ALERT_EVENTS_MEASUREMENT)
    .tag('patient', alert.patientId)
    .tag('alert_id', alert.id)
    .stringField('kind', event.kind)
    .stringField('state', alert.state)
    .stringField('priority', alert.priority)
    .stringField('rule', alert.rule)
    .stringField('body', JSON.stringify(alert))
    .timestamp(Date.parse(event.at))
    .toLineProtocol(MILLISECONDS) as string;
}
