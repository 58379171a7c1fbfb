export const RULE_STATE_STORE = Symbol('RuleStateStore');

/**
 * The rules engine's memory per patient (pending breaches, recent values), kept across restarts.
 * The state is opaque JSON to storage.
 */
export interface RuleStateStore {
  loadAll(): Map<string, unknown>;
  save(patientId: string, state: unknown): void;
  /** Saves many patients' states in one transaction (at shutdown: one fsync, not thousands). */
  saveAll(states: Iterable<[string, unknown]>): void;
}
