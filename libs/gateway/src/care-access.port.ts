import type { UserView } from '@vigil/contracts';
import type { Observable } from 'rxjs';

export const CARE_ACCESS = Symbol('CareAccess');

export type CareViewer = Pick<UserView, 'username' | 'role' | 'wards'>;

/** What the gateway asks of the application about who is connecting and where patients lie. */
export interface CareAccessPolicy {
  /** The viewer and when her token expires (epoch ms), or undefined for a bad token. */
  authenticate(token: string): Promise<{ viewer: CareViewer; expiresAt: number } | undefined>;
  /** The ward a patient lies on, or undefined for an unknown patient. */
  wardOf(patientId: string): string | undefined;
  /** User names whose access just ended (disabled, wards changed, password changed). */
  readonly accessEnded$: Observable<string>;
}
