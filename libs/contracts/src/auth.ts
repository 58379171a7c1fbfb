import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { ID_PATTERN } from './topics';

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

const usernameMessage =
  '$property must be 2-64 lower-case letters, digits, dot, dash or underscore';
const wardMessage = 'each ward must be 1-64 letters, digits, dot, dash or underscore';

/** Up to 50 distinct ward ids, or absent. */
function OptionalWardList(): PropertyDecorator {
  const decorators = [
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    ArrayUnique(),
    Matches(ID_PATTERN, { each: true, message: wardMessage }),
  ];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** `POST /api/auth/login`. */
export class LoginDto {
  @IsString()
  @Length(1, 64)
  username!: string;

  @IsString()
  @Length(1, 256)
  password!: string;
}

/** `POST /api/users`. */
export class CreateUserDto {
  @IsString()
  @Matches(USERNAME_PATTERN, { message: usernameMessage })
  username!: string;

  @IsString()
  @Length(1, 200)
  displayName!: string;

  @IsIn(USER_ROLES)
  role!: UserRole;

  /** Required for nurses and charge nurses; ignored for the other roles. */
  @OptionalWardList()
  wards?: string[];

  @IsString()
  @Length(MIN_PASSWORD_LENGTH, 256)
  password!: string;
}

/** `PATCH /api/users/:username`: any subset. */
export class UpdateUserDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @OptionalWardList()
  wards?: string[];

  /** A disabled user cannot log in; her tokens and console connections end at once. */
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @IsOptional()
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, 256)
  password?: string;
}

/** `POST /api/auth/password`: a user changes her own password. */
export class ChangePasswordDto {
  @IsString()
  @Length(1, 256)
  currentPassword!: string;

  @IsString()
  @Length(MIN_PASSWORD_LENGTH, 256)
  newPassword!: string;
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
