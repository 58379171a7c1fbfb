import type { Observation } from '@vigil/contracts';
import { EmbeddedAuditLog } from './embedded-audit-log';
import { writeTransaction, type EmbeddedDatabase } from './embedded-database';
import type { ObservationStore } from './observation-store.port';
import type { AuditEntry } from './registry-store.port';

interface ObservationRow {
  body: string;
  entered_in_error: string | null;
}

const toObservation = (row: ObservationRow): Observation => ({
  ...(JSON.parse(row.body) as Observation),
  ...(row.entered_in_error !== null && {
    enteredInError: JSON.parse(row.entered_in_error) as Observation['enteredInError'],
  }),
});

export class EmbeddedObservationStore implements ObservationStore {
  private readonly auditLog: EmbeddedAuditLog;

  constructor(private readonly db: EmbeddedDatabase) {
    this.auditLog = new EmbeddedAuditLog(db);
  }

  async add(observation: Observation, audit: AuditEntry): Promise<void> {
    writeTransaction(this.db, () => {
      this.db
        .prepare(
          'INSERT INTO observations (id, patient_id, effective_at, body) VALUES (?, ?, ?, ?)',
        )
        .run(
          observation.id,
          observation.patientId,
          Date.parse(observation.effectiveAt),
          JSON.stringify(observation),
        );
      this.auditLog.append(audit);
    })();
  }

  async markEnteredInError(
    observationId: string,
    enteredInError: NonNullable<Observation['enteredInError']>,
    audit: AuditEntry,
  ): Promise<void> {
    writeTransaction(this.db, () => {
      this.db
        .prepare('UPDATE observations SET entered_in_error = ? WHERE id = ?')
        .run(JSON.stringify(enteredInError), observationId);
      this.auditLog.append(audit);
    })();
  }

  async find(observationId: string): Promise<Observation | undefined> {
    const row = this.db
      .prepare('SELECT body, entered_in_error FROM observations WHERE id = ?')
      .get(observationId) as ObservationRow | undefined;
    return row && toObservation(row);
  }

  async list(query: {
    patientId: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<Observation[]> {
    const rows = this.db
      .prepare(
        `SELECT body, entered_in_error FROM observations
           WHERE patient_id = ? AND effective_at BETWEEN ? AND ? ORDER BY effective_at DESC LIMIT ?`,
      )
      .all(query.patientId, query.from, query.to, query.limit) as ObservationRow[];
    return rows.map(toObservation);
  }

  async listValidSince(since: number, patientId?: string): Promise<Observation[]> {
    const rows = (
      patientId === undefined
        ? this.db
            .prepare(
              `SELECT body, entered_in_error FROM observations
                 WHERE effective_at >= ? AND entered_in_error IS NULL ORDER BY effective_at`,
            )
            .all(since)
        : this.db
            .prepare(
              `SELECT body, entered_in_error FROM observations
                 WHERE patient_id = ? AND effective_at >= ? AND entered_in_error IS NULL
                 ORDER BY effective_at`,
            )
            .all(patientId, since)
    ) as ObservationRow[];
    return rows.map(toObservation);
  }
}
