import { WARD_SCOPED_ROLES } from '@vigil/contracts';
import type { CareViewer } from './care-access.port';

/** Administrators and auditors: every ward. */
export const EVERY_WARD_ROOM = 'wards:all';
export const wardRoom = (ward: string): string => `ward:${ward}`;
/** A ward's charge nurses, who receive its escalations. */
export const chargeRoom = (ward: string): string => `charge:${ward}`;

/** The rooms a viewer's console joins. */
export function roomsOf(viewer: CareViewer): string[] {
  if (!WARD_SCOPED_ROLES.includes(viewer.role)) return [EVERY_WARD_ROOM];
  const rooms = viewer.wards.map(wardRoom);
  if (viewer.role === 'charge-nurse') rooms.push(...viewer.wards.map(chargeRoom));
  return rooms;
}
