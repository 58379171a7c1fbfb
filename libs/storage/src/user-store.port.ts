import type { UserRole } from '@vigil/contracts';
import type { JsonWebKey } from 'node:crypto';
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

/**
 * One sign-in, from the password to sign-out: every access and refresh token issued for it
 * carries its id, so ending it ends them all. It never outlives `expiresAt` (epoch ms), however
 * often it is refreshed.
 */
export interface SessionRecord {
  readonly id: string;
  readonly username: string;
  readonly startedAt: number;
  readonly expiresAt: number;
}

/**
 * A system that reads through the FHIR API (an EHR, an analytics platform): it authenticates
 * with the OAuth 2.0 client-credentials grant, by a secret or by a JWT signed with one of its
 * keys, and may do only what its SMART scopes allow.
 */
export interface ApiClientRecord {
  readonly clientId: string;
  readonly name: string;
  /** SMART v2 system scopes, e.g. `system/Observation.rs`. */
  readonly scopes: readonly string[];
  /** Salted hash of its secret, when it has one. */
  readonly secretHash: string | null;
  /** Public keys (JWK) its signed assertions are checked with, when it uses them. */
  readonly publicKeys: readonly JsonWebKey[];
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A refresh token is stored only as its SHA-256, and kept once used, so a replay is seen. */
export interface RefreshTokenRecord {
  readonly tokenHash: string;
  readonly sessionId: string;
  readonly expiresAt: number;
}

/** Why a session ended, as the audit trail and the store keep it. */
export type SessionEndReason =
  'logout' | 'access-changed' | 'password-changed' | 'refresh-token-reused' | 'expired';

/** What presenting a refresh token found. */
export type RefreshTokenUse =
  | { readonly kind: 'fresh'; readonly token: RefreshTokenRecord }
  /** Already used once: it was stolen, or the thief used it first. */
  | { readonly kind: 'reused'; readonly token: RefreshTokenRecord }
  | { readonly kind: 'unknown' };

/**
 * People and API clients, people's sessions and refresh tokens, and the audit entries of changes
 * to them.
 */
export interface UserStore {
  listApiClients(): Promise<ApiClientRecord[]>;
  /** Adds a client or replaces one of the same id. */
  saveApiClient(client: ApiClientRecord, audit: AuditEntry): Promise<void>;
  listUsers(): Promise<UserRecord[]>;
  /** @throws DuplicateUserError when the username is taken. */
  addUser(user: UserRecord, audit: AuditEntry): Promise<void>;
  /**
   * Replaces a user; when `endSessions`, also ends every session she has (but `keepSessionId`)
   * and answers their ids.
   */
  updateUser(
    user: UserRecord,
    audit: AuditEntry,
    endSessions: false | { readonly reason: SessionEndReason; readonly keepSessionId?: string },
  ): Promise<string[]>;
  startSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void>;
  /** Sessions not ended and not expired at `now`. */
  liveSessions(now: number): Promise<SessionRecord[]>;
  /** The session a refresh token belongs to, used or not; nothing is marked. */
  sessionOfRefreshToken(tokenHash: string): Promise<string | undefined>;
  /** Marks the token used (once), answering what it was. */
  useRefreshToken(tokenHash: string, now: number): Promise<RefreshTokenUse>;
  addRefreshToken(token: RefreshTokenRecord): Promise<void>;
  endSession(sessionId: string, reason: SessionEndReason, now: number): Promise<void>;
  /** Forgets sessions, and their tokens, that expired before `now`. */
  deleteExpiredSessions(now: number): Promise<number>;
}
