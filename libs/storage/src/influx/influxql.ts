import { VITAL_NAMES, type Sample, type VitalValues } from '@vigil/contracts';
import type { HistoryPoint, SampleQuery } from '../telemetry-store.port';
import type { InfluxQlResponse } from './influx-connection';
import { VITALS_MEASUREMENT } from './influx-options';

/** An InfluxQL string literal (docs.influxdata.com/influxdb/v1/query_language/spec/#strings). */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An InfluxQL identifier in double quotes. */
export function identifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function patientRange(patientId: string, from: number, to: number): string {
  return `"patient" = ${literal(patientId)} AND time >= ${Math.floor(from)}ms AND time < ${Math.floor(to)}ms`;
}

export const samplesQuery = (query: SampleQuery) =>
  `SELECT * FROM ${identifier(VITALS_MEASUREMENT)} WHERE ${patientRange(query.patientId, query.from, query.to)} ` +
  `ORDER BY time ${query.newestFirst ? 'DESC' : 'ASC'}` +
  (query.limit ? ` LIMIT ${Math.floor(query.limit)}` : '');

export const latestSampleQuery = (patientId: string) =>
  `SELECT * FROM ${identifier(VITALS_MEASUREMENT)} WHERE "patient" = ${literal(patientId)} ORDER BY time DESC LIMIT 1`;

export const historyQuery = (patientId: string, from: number, to: number, everyMs: number) =>
  `SELECT ${VITAL_NAMES.map((name) => `mean(${identifier(name)}) AS ${identifier(name)}`).join(', ')} ` +
  `FROM ${identifier(VITALS_MEASUREMENT)} WHERE ${patientRange(patientId, from, to)} ` +
  `GROUP BY time(${Math.floor(everyMs)}ms) fill(none)`;

type Row = Record<string, unknown>;

/** The rows of the first statement's series, as objects keyed by column. */
export function rowsOf(response: InfluxQlResponse): Row[] {
  return (response.results?.[0]?.series ?? []).flatMap((series) =>
    series.values.map((values) =>
      Object.fromEntries(series.columns.map((column, i) => [column, values[i]])),
    ),
  );
}

function vitalsOf(row: Row): VitalValues {
  const vitals: VitalValues = {};
  for (const name of VITAL_NAMES) {
    const value = row[name];
    if (typeof value === 'number') vitals[name] = value;
  }
  return vitals;
}

export function rowToSample(row: Row): Sample {
  return {
    patientId: String(row.patient),
    deviceId: String(row.device),
    ...(typeof row.ward === 'string' && { ward: row.ward }),
    ts: Number(row.time),
    seq: Number(row.seq),
    vitals: vitalsOf(row),
    ...(typeof row.consciousness === 'string' && {
      consciousness: row.consciousness as Sample['consciousness'],
    }),
    ...(typeof row.onOxygen === 'boolean' && { onOxygen: row.onOxygen }),
    ...(typeof row.battery === 'number' && { battery: row.battery }),
  };
}

export function rowToHistoryPoint(row: Row): HistoryPoint {
  return { ts: Number(row.time), vitals: vitalsOf(row) };
}
