/**
 * Who a person is to Vigil. A nurse sees and acknowledges the alerts of her wards; a charge
 * nurse also receives their escalations; an administrator manages patients, devices, users and
 * thresholds; an auditor reads everything and changes nothing.
 */
export const USER_ROLES = ['nurse', 'charge-nurse', 'admin', 'auditor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Roles whose access is limited to their wards; the others see every ward. */
export const WARD_SCOPED_ROLES: readonly UserRole[] = ['nurse', 'charge-nurse'];

/** Roles that may acknowledge alerts. */
export const CLINICAL_ROLES: readonly UserRole[] = ['nurse', 'charge-nurse'];

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 12;

/** `POST /api/users`, as a client sends it. */
export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: UserRole;
  /** Required for nurses and charge nurses; ignored for the other roles. */
  readonly wards?: readonly string[];
  readonly password: string;
}

export interface UserView {
  readonly username: string;
  readonly displayName: string;
  readonly role: UserRole;
  /** The wards a nurse or charge nurse works on; empty for roles that see every ward. */
  readonly wards: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: string;
}

/**
 * Answer to login and refresh. The access token goes in `Authorization: Bearer` (HTTP) and in
 * the Socket.IO handshake `auth.token`; the refresh token travels only in an HttpOnly cookie.
 */
export interface SessionView {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly user: UserView;
}

/**
 * Whether a user may see a ward's patients, vitals and alerts. `undefined` (a patient no longer
 * known) is on nobody's ward list, so only the roles that see every ward see it.
 */
export function seesWard(
  user: Pick<UserView, 'role' | 'wards'>,
  ward: string | undefined,
): boolean {
  return (
    !WARD_SCOPED_ROLES.includes(user.role) || (ward !== undefined && user.wards.includes(ward))
  );
}

/** The wards a user's reads are limited to; undefined for the roles that see every ward. */
export function wardsSeenBy(user: Pick<UserView, 'role' | 'wards'>): readonly string[] | undefined {
  return WARD_SCOPED_ROLES.includes(user.role) ? user.wards : undefined;
}

/** An API client as administrators see it: never its secret or its hash. */
export interface ApiClientView {
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly string[];
  /** How it proves itself at the token endpoint. */
  readonly authentication: readonly ('client_secret' | 'private_key_jwt')[];
  /** The ids (`kid`) of its public keys. */
  readonly keyIds: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** What `POST /api/api-clients` answers: the secret is shown this once. */
export interface RegisteredApiClient {
  readonly client: ApiClientView;
  readonly clientSecret?: string;
}
