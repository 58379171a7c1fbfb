import type { EmbeddedDatabase } from './embedded-database';
import type { EmbeddedWriter } from './embedded-writer';
import type { RuleStateStore } from './rule-state-store.port';

export class EmbeddedRuleStateStore implements RuleStateStore {
  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly writer: EmbeddedWriter,
  ) {}

  async loadAll(): Promise<Map<string, unknown>> {
    const rows = this.db.prepare('SELECT patient_id, body FROM rule_state').all() as {
      patient_id: string;
      body: string;
    }[];
    return new Map(rows.map((row) => [row.patient_id, JSON.parse(row.body) as unknown]));
  }

  save(patientId: string, state: unknown): Promise<void> {
    return this.writer.write({ ruleStates: [[patientId, JSON.stringify(state)]] });
  }

  saveAll(states: Iterable<[string, unknown]>): Promise<void> {
    const ruleStates = [...states].map(([id, state]) => [id, JSON.stringify(state)] as const);
    return this.writer.write({ ruleStates });
  }
}
