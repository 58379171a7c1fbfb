import type { Pool } from 'pg';
import type { RuleStateStore } from '../rule-state-store.port';
import { createSchemaOnce } from './transactions';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rule_states (patient_id TEXT PRIMARY KEY, body JSONB NOT NULL)`;

/**
 * The rules engine's memory per patient in PostgreSQL, so the node that takes a patient over
 * resumes her pending breaches where her previous owner left them (rule-state-store.contract.ts).
 */
export class PostgresRuleStateStore implements RuleStateStore {
  constructor(private readonly pool: Pool) {}

  async createSchema(): Promise<void> {
    await createSchemaOnce(this.pool, SCHEMA);
  }

  async loadAll(): Promise<Map<string, unknown>> {
    const { rows } = await this.pool.query<{ patient_id: string; body: unknown }>(
      'SELECT patient_id, body FROM rule_states',
    );
    return new Map(rows.map((row) => [row.patient_id, row.body]));
  }

  save(patientId: string, state: unknown): Promise<void> {
    return this.saveAll([[patientId, state]]);
  }

  async saveAll(states: Iterable<[string, unknown]>): Promise<void> {
    const rows = [...states];
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO rule_states (patient_id, body)
         SELECT * FROM unnest($1::text[], $2::jsonb[])
       ON CONFLICT (patient_id) DO UPDATE SET body = EXCLUDED.body`,
      [rows.map(([id]) => id), rows.map(([, state]) => JSON.stringify(state))],
    );
  }
}
