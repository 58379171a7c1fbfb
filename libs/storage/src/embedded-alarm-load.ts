import type { EmbeddedDatabase } from './embedded-database';
import type {
  AlarmLoadAlert,
  AlarmLoadInactivation,
  AlarmLoadQuery,
  AlarmLoadRows,
} from './alarm-load.port';

/** Epoch ms of an ISO-8601 column, or null. */
const millis = (column: string) => `CAST(unixepoch(${column}, 'subsec') * 1000 AS INTEGER)`;

/**
 * The rows of an alarm-load report, read by SQLite on the reader thread: the alarms raised on the
 * ward (the ward each was raised on, kept with it, so a transfer does not move old alarms), and
 * the pauses and standbys its staff set (from the audit trail).
 */
export function prepareAlarmLoadQuery(
  db: EmbeddedDatabase,
): (query: AlarmLoadQuery) => AlarmLoadRows {
  const alerts = db.prepare(
    `SELECT json_extract(body, '$.rule') AS rule, json_extract(body, '$.category') AS category,
        json_extract(body, '$.priority') AS priority, patient_id AS patientId,
        ${millis('raised_at')} AS raisedAt,
        ${millis("json_extract(body, '$.acknowledgedAt')")} AS acknowledgedAt,
        ${millis("json_extract(body, '$.resolvedAt')")} AS resolvedAt,
        json_extract(body, '$.resolvedReason') AS resolvedReason
      FROM alerts WHERE raised_ward = @ward AND raised_at >= @from AND raised_at < @to
      ORDER BY raised_at LIMIT @limit`,
  );
  const inactivations = db.prepare(
    `SELECT CASE action WHEN 'patient.alarms-paused' THEN 'pause' ELSE 'standby' END AS kind,
        subject AS patientId, json_extract(new_value, '$.scope') AS scope,
        ${millis("json_extract(new_value, '$.from')")} AS "from",
        ${millis("json_extract(new_value, '$.until')")} AS "until"
      FROM audit_log WHERE action IN ('patient.alarms-paused', 'patient.standby-begun')
        AND json_extract(new_value, '$.ward') = @ward AND at >= @from AND at < @to
      ORDER BY id`,
  );
  const presence = db.prepare(
    `SELECT coalesce(sum(
        min(${millis('coalesce(to_at, @to)')}, @toMs) - max(${millis('from_at')}, @fromMs)), 0) AS ms
      FROM stay_locations WHERE ward = @ward AND from_at < @to AND coalesce(to_at, @to) > @from`,
  );
  return ({ ward, from, to, limit }) => {
    const bounds = { ward, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const rows = alerts.all({ ...bounds, limit: limit + 1 }) as AlarmLoadAlert[];
    return {
      alerts: rows.slice(0, limit),
      inactivations: inactivations.all(bounds) as AlarmLoadInactivation[],
      patientMs: (presence.get({ ...bounds, fromMs: from, toMs: to }) as { ms: number }).ms,
      truncated: rows.length > limit,
    };
  };
}
