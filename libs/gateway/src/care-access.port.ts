import type { Patient, UserView } from '@vigil/contracts';
import type { Observable } from 'rxjs';

export const CARE_ACCESS = Symbol('CareAccess');

export type CareViewer = Pick<UserView, 'username' | 'role' | 'wards'>;

export interface CareAuthentication {
  readonly viewer: CareViewer;
  /** The sign-in session the token belongs to: the connection ends with it. */
  readonly sessionId: string;
  /** When the token expires, epoch ms. */
  readonly expiresAt: number;
}

/** A change to a patient's place on the wards. */
export interface CarePatientChange {
  readonly kind: 'admitted' | 'updated' | 'transferred' | 'discharged' | 'admission-cancelled';
  readonly patient: Patient;
  readonly deviceIds: readonly string[];
  /** The ward she left, for a transfer. */
  readonly fromWard?: string;
}

/** What the gateway asks of the application about who is connecting and where patients lie. */
export interface CareAccessPolicy {
  /** Who the token's holder is, or undefined for a bad token. */
  authenticate(token: string): Promise<CareAuthentication | undefined>;
  /** The ward a patient lies on, or undefined for an unknown patient. */
  wardOf(patientId: string): string | undefined;
  /** Patients admitted, moved, changed or discharged, after the change is stored. */
  readonly patientChanges$: Observable<CarePatientChange>;
  /** Sessions that just ended (sign-out; disabled, wards, role or password changed). */
  readonly sessionsEnded$: Observable<readonly string[]>;
}
