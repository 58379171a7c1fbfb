export const RULE_STATE_STORE = Symbol('RuleStateStore');

/**
 * The rules engine's memory per patient (pending breaches, recent values), kept across restarts.
 * The state is opaque JSON to storage.
 */
export interface RuleStateStore {
  loadAll(): Promise<Map<string, unknown>>;
  /** Queued behind the writes already asked for; resolves once durable. */
  save(patientId: string, state: unknown): Promise<void>;
  /** Saves many patients' states in one transaction (at shutdown: one fsync, not thousands). */
  saveAll(states: Iterable<[string, unknown]>): Promise<void>;
}
