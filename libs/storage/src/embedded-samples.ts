import type { Sample } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import type { SampleBody } from './embedded-writes';
import type { SampleQuery } from './telemetry-store.port';

interface SampleRow {
  device_id: string;
  ts: number;
  patient_id: string;
  seq: number;
  body: string;
}

export function sampleOfRow(row: SampleRow): Sample {
  const body = JSON.parse(row.body) as SampleBody;
  return { patientId: row.patient_id, deviceId: row.device_id, ts: row.ts, seq: row.seq, ...body };
}

/** A patient's samples of a window, in either time order; run on the reader thread for a file. */
export function prepareSamplesQuery(db: EmbeddedDatabase): (query: SampleQuery) => Sample[] {
  const statement = (order: 'ASC' | 'DESC') =>
    db.prepare(
      `SELECT * FROM samples WHERE patient_id = ? AND ts >= ? AND ts < ? ORDER BY ts ${order} LIMIT ?`,
    );
  const ascending = statement('ASC');
  const descending = statement('DESC');
  return (query) =>
    (
      (query.newestFirst ? descending : ascending).all(
        query.patientId,
        query.from,
        query.to,
        query.limit ?? -1,
      ) as SampleRow[]
    ).map(sampleOfRow);
}

/** A patient's latest sample (a small read, on the caller's connection). */
export function latestSampleOf(db: EmbeddedDatabase, patientId: string): Sample | undefined {
  const row = db
    .prepare('SELECT * FROM samples WHERE patient_id = ? ORDER BY ts DESC LIMIT 1')
    .get(patientId) as SampleRow | undefined;
  return row && sampleOfRow(row);
}
