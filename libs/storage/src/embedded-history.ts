import { VITAL_NAMES, type VitalValues } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import type { HistoryPoint, HistoryQuery } from './telemetry-store.port';

type HistoryRow = { bucket: number } & Record<string, number | null>;

/**
 * A patient's vitals as the mean per bucket, aggregated by SQLite itself so that no sample is
 * copied out of the database. Buckets are aligned to multiples of `everyMs` since the epoch, as
 * InfluxQL's `GROUP BY time(...)` aligns them, so both adapters answer alike; a vital with no
 * sample in a bucket is absent from it.
 */
export function prepareHistoryQuery(db: EmbeddedDatabase): (query: HistoryQuery) => HistoryPoint[] {
  const means = VITAL_NAMES.map(
    (name) => `avg(json_extract(body, '$.vitals.${name}')) AS ${name}`,
  ).join(', ');
  const statement = db.prepare(
    // Bound parameters are REAL to SQLite: the cast makes the division an integer one.
    `SELECT (ts / CAST(@every AS INTEGER)) * CAST(@every AS INTEGER) AS bucket, ${means} FROM samples
     WHERE patient_id = @patientId AND ts >= @from AND ts < @to
     GROUP BY bucket ORDER BY bucket`,
  );
  return ({ patientId, from, to, everyMs }) =>
    (statement.all({ patientId, from, to, every: Math.trunc(everyMs) }) as HistoryRow[]).map(
      (row) => {
        const vitals: VitalValues = {};
        for (const name of VITAL_NAMES) {
          const mean = row[name];
          if (mean !== null) vitals[name] = mean;
        }
        return { ts: row.bucket, vitals };
      },
    );
}
