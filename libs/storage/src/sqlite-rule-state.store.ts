import type { EmbeddedDatabase } from './embedded-database';
import type { RuleStateStore } from './rule-state-store.port';

export class SqliteRuleStateStore implements RuleStateStore {
  private readonly upsert;

  constructor(private readonly db: EmbeddedDatabase) {
    this.upsert = db.prepare(
      'INSERT INTO rule_state (patient_id, body) VALUES (?, ?) ON CONFLICT (patient_id) DO UPDATE SET body = excluded.body',
    );
  }

  loadAll(): Map<string, unknown> {
    const rows = this.db.prepare('SELECT patient_id, body FROM rule_state').all() as {
      patient_id: string;
      body: string;
    }[];
    return new Map(rows.map((row) => [row.patient_id, JSON.parse(row.body) as unknown]));
  }

  save(patientId: string, state: unknown): void {
    this.upsert.run(patientId, JSON.stringify(state));
  }

  saveAll(states: Iterable<[string, unknown]>): void {
    this.db.transaction(() => {
      for (const [patientId, state] of states) this.save(patientId, state);
    })();
  }
}
