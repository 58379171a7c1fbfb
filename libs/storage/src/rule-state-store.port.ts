export const RULE_STATE_STORE = Symbol('RuleStateStore');

/**
 * The rules engine's memory per patient (pending breaches, recent values), kept across restarts.
 * The state is opaque JSON to storage.
 */
export interface RuleStateStore {
  loadAll(): Map<string, unknown>;
  save(patientId: string, state: unknown): void;
}
