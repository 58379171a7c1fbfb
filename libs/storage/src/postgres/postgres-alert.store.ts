import { OPEN_ALERT_STATES, type Alert, type AlertEvent } from '@vigil/contracts';
import type { Pool } from 'pg';
import type { AlarmLoadInactivation, AlarmLoadQuery, AlarmLoadRows } from '../alarm-load.port';
import type {
  AlertChangeQuery,
  AlertQuery,
  AlertStore,
  AlertWithHistory,
} from '../alert-store.port';
import { createSchemaOnce, inTransaction } from './transactions';

/** The embedded store's tables; the report also reads the registry's (stays, audit trail). */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, state TEXT NOT NULL, raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, body JSONB NOT NULL, ward TEXT, raised_ward TEXT);
  CREATE INDEX IF NOT EXISTS alerts_by_ward ON alerts (ward, raised_at) WHERE ward IS NOT NULL;
  CREATE INDEX IF NOT EXISTS alerts_by_raised_ward ON alerts (raised_ward, raised_at);
  CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state);
  CREATE INDEX IF NOT EXISTS alerts_by_update ON alerts (updated_at);
  CREATE INDEX IF NOT EXISTS alerts_by_patient ON alerts (patient_id, raised_at);
  CREATE TABLE IF NOT EXISTS alert_events (
    id BIGSERIAL PRIMARY KEY, alert_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
    by TEXT, body JSONB NOT NULL);
  CREATE INDEX IF NOT EXISTS alert_events_by_alert ON alert_events (alert_id, id);`;

/** Epoch ms of an ISO-8601 text expression, or null. */
const millis = (expression: string) =>
  `(extract(epoch FROM (${expression})::timestamptz) * 1000)::bigint`;

/** A query's conditions and the values of its placeholders, numbered as they are used. */
class Conditions {
  readonly values: unknown[] = [];
  private readonly clauses: string[] = [];

  /** The placeholder of `value`, for a clause. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }

  /** The patient's ward now, or a ward alarm's own. */
  wards(wards: readonly string[] | undefined): void {
    if (wards === undefined) return;
    const marks = this.param([...wards]);
    this.add(
      `(patient_id IN (SELECT id FROM patients WHERE ward = ANY(${marks})) OR ward = ANY(${marks}))`,
    );
  }

  get where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/**
 * Alerts in PostgreSQL (node-postgres), for nodes sharing one database: the same behaviour as
 * the embedded store (alert-store.contract.ts). Each write of events is one transaction.
 */
export class PostgresAlertStore implements AlertStore {
  constructor(private readonly pool: Pool) {}

  async createSchema(): Promise<void> {
    await createSchemaOnce(this.pool, SCHEMA);
  }

  async writeAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      for (const event of events) {
        const { alert } = event;
        await client.query(
          // The ward it is raised on stays with it: a transfer does not move her old alarms.
          `INSERT INTO alerts (id, patient_id, ward, raised_ward, state, raised_at, updated_at, body)
             VALUES ($1, $2, $3, coalesce($3, (SELECT ward FROM patients WHERE id = $2)), $4, $5,
               $6, $7)
           ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state,
             updated_at = EXCLUDED.updated_at, body = EXCLUDED.body`,
          [
            alert.id,
            alert.patientId,
            alert.ward ?? null,
            alert.state,
            alert.raisedAt,
            alert.updatedAt,
            JSON.stringify(alert),
          ],
        );
        await client.query(
          'INSERT INTO alert_events (alert_id, kind, at, by, body) VALUES ($1, $2, $3, $4, $5)',
          [alert.id, event.kind, event.at, event.by ?? null, JSON.stringify(alert)],
        );
      }
    });
  }

  async openAlerts(): Promise<Alert[]> {
    const { rows } = await this.pool.query<{ body: Alert }>(
      'SELECT body FROM alerts WHERE state = ANY($1)',
      [[...OPEN_ALERT_STATES]],
    );
    return rows.map((row) => row.body);
  }

  async alertsChangedSince({ since, wards, limit }: AlertChangeQuery): Promise<Alert[]> {
    const conditions = new Conditions();
    conditions.add(`updated_at > ${conditions.param(since)}`);
    conditions.wards(wards);
    const { rows } = await this.pool.query<{ body: Alert }>(
      `SELECT body FROM alerts ${conditions.where}
         ORDER BY updated_at DESC LIMIT ${conditions.param(limit)}`,
      conditions.values,
    );
    return rows.map((row) => row.body).reverse();
  }

  async listAlerts(query: AlertQuery): Promise<AlertWithHistory[]> {
    const conditions = new Conditions();
    const param = (value: unknown) => conditions.param(value);
    conditions.wards(query.wards);
    if (query.state === 'open') conditions.add(`state = ANY(${param([...OPEN_ALERT_STATES])})`);
    else if (query.state) conditions.add(`state = ${param(query.state)}`);
    if (query.patientId) conditions.add(`patient_id = ${param(query.patientId)}`);
    if (query.from) conditions.add(`raised_at >= ${param(query.from)}`);
    if (query.to) conditions.add(`raised_at < ${param(query.to)}`);
    if (query.after) {
      const [raisedAt, id] = [param(query.after.raisedAt), param(query.after.id)];
      conditions.add(`(raised_at < ${raisedAt} OR (raised_at = ${raisedAt} AND id < ${id}))`);
    }
    const { rows } = await this.pool.query<{ body: Alert }>(
      `SELECT body FROM alerts ${conditions.where}
         ORDER BY raised_at DESC, id DESC LIMIT ${param(query.limit)}`,
      conditions.values,
    );
    const alerts = rows.map((row) => row.body);
    const events = await this.pool.query<{
      alert_id: string;
      kind: AlertEvent['kind'];
      at: string;
      by: string | null;
    }>('SELECT alert_id, kind, at, by FROM alert_events WHERE alert_id = ANY($1) ORDER BY id', [
      alerts.map((alert) => alert.id),
    ]);
    return alerts.map((alert) => ({
      ...alert,
      history: events.rows
        .filter((event) => event.alert_id === alert.id)
        .map((event) => ({ kind: event.kind, at: event.at, ...(event.by && { by: event.by }) })),
    }));
  }

  async alarmLoad({ ward, from, to, limit }: AlarmLoadQuery): Promise<AlarmLoadRows> {
    const [fromIso, toIso] = [new Date(from).toISOString(), new Date(to).toISOString()];
    const alerts = await this.pool.query<{
      rule: string;
      category: string;
      priority: 'high' | 'medium' | 'low';
      patientId: string;
      raisedAt: string;
      acknowledgedAt: string | null;
      resolvedAt: string | null;
      resolvedReason: string | null;
    }>(
      `SELECT body->>'rule' AS rule, body->>'category' AS category, body->>'priority' AS priority,
          patient_id AS "patientId", ${millis('raised_at')} AS "raisedAt",
          ${millis("body->>'acknowledgedAt'")} AS "acknowledgedAt",
          ${millis("body->>'resolvedAt'")} AS "resolvedAt",
          body->>'resolvedReason' AS "resolvedReason"
        FROM alerts WHERE raised_ward = $1 AND raised_at >= $2 AND raised_at < $3
        ORDER BY raised_at LIMIT $4`,
      [ward, fromIso, toIso, limit + 1],
    );
    const inactivations = await this.pool.query<{
      kind: AlarmLoadInactivation['kind'];
      patientId: string;
      scope: string | null;
      from: string;
      until: string;
    }>(
      `SELECT CASE action WHEN 'patient.alarms-paused' THEN 'pause' ELSE 'standby' END AS kind,
          subject AS "patientId", new_value->>'scope' AS scope,
          ${millis("new_value->>'from'")} AS "from", ${millis("new_value->>'until'")} AS "until"
        FROM audit_log WHERE action IN ('patient.alarms-paused', 'patient.standby-begun')
          AND new_value->>'ward' = $1 AND at >= $2 AND at < $3
        ORDER BY id`,
      [ward, fromIso, toIso],
    );
    const presence = await this.pool.query<{ ms: string }>(
      `SELECT coalesce(sum(least(${millis('coalesce(to_at, $3)')}, $5::bigint)
          - greatest(${millis('from_at')}, $4::bigint)), 0) AS ms
        FROM stay_locations WHERE ward = $1 AND from_at < $3 AND coalesce(to_at, $3) > $2`,
      [ward, fromIso, toIso, from, to],
    );
    const orNull = (value: string | null) => (value === null ? null : Number(value));
    return {
      alerts: alerts.rows.slice(0, limit).map((row) => ({
        ...row,
        raisedAt: Number(row.raisedAt),
        acknowledgedAt: orNull(row.acknowledgedAt),
        resolvedAt: orNull(row.resolvedAt),
      })),
      inactivations: inactivations.rows.map((row) => ({
        ...row,
        from: Number(row.from),
        until: Number(row.until),
      })),
      patientMs: Number(presence.rows[0].ms),
      truncated: alerts.rows.length > limit,
    };
  }
}
