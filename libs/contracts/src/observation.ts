import type { News2Risk } from './care-events';
import type { ConsciousnessLevel, VitalValues } from './vital-signs.catalogue';

/** Supplemental oxygen as a nurse records it. */
export interface OxygenDelivery {
  /** Litres per minute. */
  readonly flowLpm?: number;
  /** How it is given: nasal cannula, simple mask, Venturi, non-rebreather, high-flow... */
  readonly device?: string;
}

/**
 * `POST /api/patients/:id/observations`: a set of observations a nurse took at the bedside,
 * shaped as a device's sample so that one catalogue validates both.
 */
export interface ObservationInput {
  /** When they were taken (ISO-8601 or epoch ms): at most 5 minutes ahead, at most a day back. */
  readonly effectiveAt: string | number;
  readonly vitals: VitalValues & {
    readonly consciousness?: ConsciousnessLevel;
    readonly onOxygen?: boolean;
  };
  readonly oxygen?: OxygenDelivery;
  readonly note?: string;
}

/** A recorded set, never edited in place: an error is retracted, and rescoring follows. */
export interface Observation {
  readonly id: string;
  readonly patientId: string;
  readonly stayId: string;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  /** Recorded more than LATE_OBSERVATION_MS after it was taken. */
  readonly late: boolean;
  readonly vitals: ObservationInput['vitals'];
  readonly oxygen?: OxygenDelivery;
  readonly note?: string;
  /** The NEWS2 right after it was recorded. */
  readonly news2: { readonly total: number; readonly risk: News2Risk; readonly complete: boolean };
  readonly enteredInError?: { readonly at: string; readonly by: string; readonly reason: string };
}

/** A set recorded this long after it was taken is flagged as a late entry. */
export const LATE_OBSERVATION_MS = 15 * 60_000;
/** How far back a set may be entered. */
export const MAX_OBSERVATION_AGE_MS = 24 * 3_600_000;
