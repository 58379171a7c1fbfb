import type { UserRole } from '@vigil/contracts';
import type { AuditEntry } from './registry-store.port';

export const USER_STORE = Symbol('UserStore');

export class DuplicateUserError extends Error {
  constructor(readonly username: string) {
    super(`user ${username} already exists`);
  }
}

/** A person who signs in, with the salted hash of her password. */
export interface UserRecord {
  readonly username: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly wards: readonly string[];
  readonly passwordHash: string;
  readonly disabled: boolean;
  readonly createdAt: string;
}

/** A refresh token is stored only as its SHA-256. */
export interface RefreshTokenRecord {
  readonly tokenHash: string;
  readonly username: string;
  readonly expiresAt: number;
}

/** People, their refresh tokens, and the audit entries of changes to them. */
export interface UserStore {
  listUsers(): Promise<UserRecord[]>;
  /** @throws DuplicateUserError when the username is taken. */
  addUser(user: UserRecord, audit: AuditEntry): Promise<void>;
  /** Replaces a user; when `endSessions`, also deletes every refresh token she holds. */
  updateUser(user: UserRecord, audit: AuditEntry, endSessions: boolean): Promise<void>;
  addRefreshToken(token: RefreshTokenRecord): Promise<void>;
  /** Deletes and returns the token, so each refresh token is used at most once. */
  takeRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  deleteExpiredRefreshTokens(now: number): Promise<number>;
}
