import type { Observation } from '@vigil/contracts';
import type { AuditEntry } from './registry-store.port';

export const OBSERVATION_STORE = Symbol('ObservationStore');

/** The observation sets nurses record; each change is one transaction with its audit entry. */
export interface ObservationStore {
  add(observation: Observation, audit: AuditEntry): Promise<void>;
  /** Retracts a set; it stays, marked, for the record. */
  markEnteredInError(
    observationId: string,
    enteredInError: NonNullable<Observation['enteredInError']>,
    audit: AuditEntry,
  ): Promise<void>;
  find(observationId: string): Promise<Observation | undefined>;
  /** A patient's sets taken within [from, to] (epoch ms), newest first, at most `limit`. */
  list(query: {
    patientId: string;
    from: number;
    to: number;
    limit: number;
  }): Promise<Observation[]>;
  /** The sets taken since `since` (epoch ms) and not retracted, oldest first: one patient's, or every patient's. */
  listValidSince(since: number, patientId?: string): Promise<Observation[]>;
}
