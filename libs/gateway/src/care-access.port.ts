import type { UserView } from '@vigil/contracts';
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

/** What the gateway asks of the application about who is connecting and where patients lie. */
export interface CareAccessPolicy {
  /** Who the token's holder is, or undefined for a bad token. */
  authenticate(token: string): Promise<CareAuthentication | undefined>;
  /** The ward a patient lies on, or undefined for an unknown patient. */
  wardOf(patientId: string): string | undefined;
  /** Sessions that just ended (sign-out; disabled, wards, role or password changed). */
  readonly sessionsEnded$: Observable<readonly string[]>;
}
