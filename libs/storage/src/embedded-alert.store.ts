import { OPEN_ALERT_STATES, type Alert, type AlertEvent } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import type {
  AlertChangeQuery,
  AlertQuery,
  AlertStore,
  AlertWithHistory,
} from './alert-store.port';
import type { EmbeddedWriter } from './embedded-writer';
import type { EmbeddedHistoryReader } from './embedded-history-reader';
import type { AlarmLoadQuery, AlarmLoadRows } from './alarm-load.port';

const OPEN_STATES = `(${OPEN_ALERT_STATES.map((state) => `'${state}'`).join(', ')})`;

/**
 * A condition on the ward (the patient's now, or a ward alarm's own), for `WHERE`; none when
 * every ward is asked for.
 */
function wardCondition(wards: readonly string[] | undefined): [string[], string[]] {
  if (wards === undefined) return [[], []];
  const marks = wards.map(() => '?').join(', ');
  return [
    [`(patient_id IN (SELECT id FROM patients WHERE ward IN (${marks})) OR ward IN (${marks}))`],
    [...wards, ...wards],
  ];
}

/**
 * Every alert's current state and its event history, kept in the embedded database whichever
 * adapter stores telemetry, so a restart restores open alerts even while InfluxDB is unreachable.
 */
export class EmbeddedAlertState {
  private readonly upsert;
  private readonly insertEvent;
  private readonly selectOpen;
  private readonly selectEvents;

  constructor(private readonly db: EmbeddedDatabase) {
    this.upsert = db.prepare(
      // The ward it is raised on stays with it: a transfer does not move her old alarms.
      `INSERT INTO alerts (id, patient_id, ward, raised_ward, state, raised_at, updated_at, body)
         VALUES (@id, @patientId, @ward, coalesce(@ward, (SELECT ward FROM patients WHERE id = @patientId)),
           @state, @raisedAt, @updatedAt, @body) ` +
        'ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, body = excluded.body',
    );
    this.insertEvent = db.prepare(
      'INSERT INTO alert_events (alert_id, kind, at, by, body) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectOpen = db.prepare(`SELECT body FROM alerts WHERE state IN ${OPEN_STATES}`);
    this.selectEvents = db.prepare(
      'SELECT kind, at, by FROM alert_events WHERE alert_id = ? ORDER BY id',
    );
  }

  /** Call inside the transaction that makes the event durable. */
  record(event: AlertEvent): void {
    const { alert } = event;
    const body = JSON.stringify(alert);
    this.upsert.run({
      id: alert.id,
      patientId: alert.patientId,
      ward: alert.ward ?? null,
      state: alert.state,
      raisedAt: alert.raisedAt,
      updatedAt: alert.updatedAt,
      body,
    });
    this.insertEvent.run(alert.id, event.kind, event.at, event.by ?? null, body);
  }

  open(): Alert[] {
    return parseBodies(this.selectOpen.all());
  }

  changedSince({ since, wards, limit }: AlertChangeQuery): Alert[] {
    const [where, params] = wardCondition(wards);
    const sql = `SELECT body FROM alerts WHERE ${['updated_at > ?', ...where].join(' AND ')}
      ORDER BY updated_at DESC LIMIT ?`;
    return parseBodies(this.db.prepare(sql).all(since, ...params, limit)).reverse();
  }

  list(query: AlertQuery): AlertWithHistory[] {
    const [where, params] = wardCondition(query.wards) as [string[], (string | number)[]];
    if (query.state === 'open') {
      where.push(`state IN ${OPEN_STATES}`);
    } else if (query.state) {
      where.push('state = ?');
      params.push(query.state);
    }
    if (query.patientId) {
      where.push('patient_id = ?');
      params.push(query.patientId);
    }
    if (query.from) {
      where.push('raised_at >= ?');
      params.push(query.from);
    }
    if (query.to) {
      where.push('raised_at < ?');
      params.push(query.to);
    }
    if (query.after) {
      where.push('(raised_at < ? OR (raised_at = ? AND id < ?))');
      params.push(query.after.raisedAt, query.after.raisedAt, query.after.id);
    }
    const sql = `SELECT body FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY raised_at DESC, id DESC LIMIT ?`;
    const alerts = parseBodies(this.db.prepare(sql).all(...params, query.limit));
    return alerts.map((alert) => ({
      ...alert,
      history: (
        this.selectEvents.all(alert.id) as {
          kind: AlertEvent['kind'];
          at: string;
          by: string | null;
        }[]
      ).map((event) => ({ kind: event.kind, at: event.at, ...(event.by && { by: event.by }) })),
    }));
  }
}

function parseBodies(rows: unknown[]): Alert[] {
  return (rows as { body: string }[]).map((row) => JSON.parse(row.body) as Alert);
}

/**
 * The AlertStore on the embedded database. Events go through the embedded writer, in one queue
 * with the samples (a group commit, on the writer thread for a database file); reads use this
 * thread's connection.
 */
export class EmbeddedAlertStore implements AlertStore {
  private readonly state: EmbeddedAlertState;

  constructor(
    db: EmbeddedDatabase,
    private readonly writer: EmbeddedWriter,
    private readonly reader: EmbeddedHistoryReader,
  ) {
    this.state = new EmbeddedAlertState(db);
  }

  alarmLoad(query: AlarmLoadQuery): Promise<AlarmLoadRows> {
    return this.reader.alarmLoad(query);
  }

  writeAlertEvents(events: readonly AlertEvent[]): Promise<void> {
    return this.writer.write({ events });
  }

  async openAlerts(): Promise<Alert[]> {
    return this.state.open();
  }

  async alertsChangedSince(query: AlertChangeQuery): Promise<Alert[]> {
    return this.state.changedSince(query);
  }

  async listAlerts(query: AlertQuery): Promise<AlertWithHistory[]> {
    return this.state.list(query);
  }
}
