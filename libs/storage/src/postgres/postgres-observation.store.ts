import type { Observation } from '@vigil/contracts';
import type { Pool } from 'pg';
import type { ObservationStore } from '../observation-store.port';
import type { AuditEntry } from '../registry-store.port';
import { createSchemaOnce, inTransaction } from './transactions';
import { AUDIT_SCHEMA, appendAudit } from './postgres-audit-log';

/** The embedded store's table; it refers to the registry's patients, created before it. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS observations (
    id TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id),
    effective_at BIGINT NOT NULL, body JSONB NOT NULL, entered_in_error JSONB);
  CREATE INDEX IF NOT EXISTS observations_by_patient ON observations (patient_id, effective_at);
  ${AUDIT_SCHEMA}`;

interface ObservationRow {
  body: Observation;
  entered_in_error: Observation['enteredInError'] | null;
}

const toObservation = (row: ObservationRow): Observation => ({
  ...row.body,
  ...(row.entered_in_error !== null && { enteredInError: row.entered_in_error }),
});

/**
 * Nurses' observation sets in PostgreSQL (node-postgres), behaving as the embedded store does
 * (observation-store.contract.ts); each change one transaction with its audit entry.
 */
export class PostgresObservationStore implements ObservationStore {
  constructor(private readonly pool: Pool) {}

  async createSchema(): Promise<void> {
    await createSchemaOnce(this.pool, SCHEMA);
  }

  async add(observation: Observation, audit: AuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO observations (id, patient_id, effective_at, body) VALUES ($1, $2, $3, $4)',
        [
          observation.id,
          observation.patientId,
          Date.parse(observation.effectiveAt),
          JSON.stringify(observation),
        ],
      );
      await appendAudit(client, audit);
    });
  }

  async markEnteredInError(
    observationId: string,
    enteredInError: NonNullable<Observation['enteredInError']>,
    audit: AuditEntry,
  ): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('UPDATE observations SET entered_in_error = $1 WHERE id = $2', [
        JSON.stringify(enteredInError),
        observationId,
      ]);
      await appendAudit(client, audit);
    });
  }

  async find(observationId: string): Promise<Observation | undefined> {
    const { rows } = await this.pool.query<ObservationRow>(
      'SELECT body, entered_in_error FROM observations WHERE id = $1',
      [observationId],
    );
    return rows[0] && toObservation(rows[0]);
  }

  async list(query: {
    patientId: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<Observation[]> {
    const { rows } = await this.pool.query<ObservationRow>(
      `SELECT body, entered_in_error FROM observations
         WHERE patient_id = $1 AND effective_at BETWEEN $2 AND $3
         ORDER BY effective_at DESC LIMIT $4`,
      [query.patientId, query.from, query.to, query.limit],
    );
    return rows.map(toObservation);
  }

  async listValidSince(since: number, patientId?: string): Promise<Observation[]> {
    const { rows } = await this.pool.query<ObservationRow>(
      `SELECT body, entered_in_error FROM observations
         WHERE effective_at >= $1 AND entered_in_error IS NULL
           AND ($2::text IS NULL OR patient_id = $2)
         ORDER BY effective_at`,
      [since, patientId ?? null],
    );
    return rows.map(toObservation);
  }
}
