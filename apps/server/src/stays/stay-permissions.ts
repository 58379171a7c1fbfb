import { ForbiddenException } from '@nestjs/common';
import type { UserView } from '@vigil/contracts';

/**
 * Who may admit, transfer and discharge patients and put wearables on them: administrators,
 * and charge nurses of the ward the patient is on (for an admission, the ward she comes to).
 * A transfer is the sending ward's to make: a charge nurse cannot pull a patient off a ward she
 * does not run, which would give her that patient's record.
 */
export function mayManageWard(user: Pick<UserView, 'role' | 'wards'>, ward: string): boolean {
  return user.role === 'admin' || (user.role === 'charge-nurse' && user.wards.includes(ward));
}

/** @throws ForbiddenException (403 `AUTH.WARD`) unless the user may manage the ward's patients. */
export function requireWardManager(user: Pick<UserView, 'role' | 'wards'>, ward: string): void {
  if (mayManageWard(user, ward)) return;
  throw new ForbiddenException({
    code: user.role === 'charge-nurse' ? 'AUTH.WARD' : 'AUTH.ROLE',
    message: [
      user.role === 'charge-nurse'
        ? `only a charge nurse of ward ${ward} or an administrator may do this`
        : 'this needs the role admin, or charge-nurse of the ward',
    ],
  });
}
