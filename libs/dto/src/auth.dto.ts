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
import {
  ID_PATTERN,
  MIN_PASSWORD_LENGTH,
  USERNAME_PATTERN,
  USER_ROLES,
  type NewUser,
  type UserRole,
} from '@vigil/contracts';

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
export class CreateUserDto implements NewUser {
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
