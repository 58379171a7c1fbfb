import type { Alert } from '@vigil/contracts';

export const PATIENT_OWNERSHIP = Symbol('PatientOwnership');

/**
 * Patients are hashed into this many partitions, each owned by one node at a time. Fixed in code,
 * not configured: every node of a cluster must hash a patient to the same partition.
 */
export const PATIENT_PARTITIONS = 64;

/** The partition a patient belongs to (FNV-1a of her id): the same on every node, for ever. */
export function partitionOf(patientId: string, partitions = PATIENT_PARTITIONS): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < patientId.length; index += 1) {
    hash ^= patientId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/**
 * Whose the alarms of a ward as a whole are (its lost devices counted together, its failing
 * notifications), and the delivery of notifications: one node of a cluster, the one that acts
 * for this key's partition, as it would for a patient's.
 */
export const WARDS_KEY = 'wards';

/** Whose an alert is: her patient's, or for a ward's own alarm, WARDS_KEY's. */
export function ownerKeyOf(alert: Pick<Alert, 'patientId' | 'ward'>): string {
  return alert.patientId === '' && alert.ward !== undefined ? WARDS_KEY : alert.patientId;
}

/** The patients whose state a node takes up (`gained`) or must drop at once (`lost`). */
export interface OwnershipChange {
  readonly kind: 'gained' | 'lost';
  /** Whether a patient id (or WARDS_KEY) is among the patients this change is about. */
  readonly covers: (patientId: string) => boolean;
}

/**
 * Which patients this process acts for: every one on a single node; on a cluster, those of the
 * partitions it holds a lease for (docs/decisions/scale-out.md).
 */
export interface PatientOwnership {
  owns(patientId: string): boolean;
  /**
   * Who takes up and drops the patients' state as partitions come and go, one change at a time:
   * a gained partition counts as owned only once `take` has resolved for it (her open alerts
   * restored before any sample of hers is evaluated); a lost one stops counting before `take`
   * is called to drop it. On a single node, no change ever comes.
   */
  handOverWith(take: (change: OwnershipChange) => Promise<void>): void;
}

/** A single node: it owns every patient, always. */
export class OwnsEveryPatient implements PatientOwnership {
  owns(): boolean {
    return true;
  }

  handOverWith(): void {
    // nothing ever changes hands
  }
}
