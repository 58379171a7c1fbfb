import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { SessionView, UserView } from '@vigil/contracts';
import {
  REGISTRY_STORE,
  USER_STORE,
  auditEntry,
  type RegistryStore,
  type SessionEndReason,
  type SessionRecord,
  type UserStore,
} from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { AuthOptions } from '../config/vigil-config';
import { fingerprint, newSecret } from '../security/secret-hash';
import { AUTH_OPTIONS, TOKEN_ISSUER } from './auth.tokens';
import { SessionEvents } from './session-events';
import { UsersService } from './users.service';

const SIGNING_KEY_FILE = 'auth-signing.key';

export interface IssuedSession extends SessionView {
  /** Goes to the browser only as an HttpOnly cookie. */
  readonly refreshToken: string;
  /** Seconds until the session ends, whatever is refreshed meanwhile. */
  readonly refreshExpiresIn: number;
}

export interface VerifiedAccess {
  readonly user: UserView;
  readonly sessionId: string;
  /** Epoch ms when the access token expires. */
  readonly expiresAt: number;
}

interface AccessClaims {
  readonly sub: string;
  readonly sid: string;
  readonly exp: number;
}

/** The signing key from AUTH_SIGNING_KEY, or one generated at the first start and kept in DATA_DIR. */
export function loadSigningKey(options: AuthOptions, dataDir: string): string {
  if (options.signingKey) return options.signingKey;
  if (dataDir === ':memory:') return newSecret() + newSecret();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (!existsSync(file)) writeFileSync(file, newSecret() + newSecret(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** How many ended sessions' ids are remembered, so their tokens cost no more lookups. */
const MAX_NOT_LIVE = 10_000;

/**
 * Sessions: one per sign-in, ending at sign-out, when the user's access changes, when a used
 * refresh token is presented again, or at the latest `REFRESH_TOKEN_SECONDS` after the password
 * (a shift), however often it is refreshed. Access tokens (JWT, HS256, minutes) name their
 * session, and every request checks that the session is still live, so an ended session's
 * tokens stop at once. Refresh tokens are random, stored hashed, rotated on every use, and kept
 * once used so that a replay ends the whole session (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionService.name);
  private readonly live = new Map<string, SessionRecord>();
  /** Sessions looked for and found ended (bounded: forgotten all at once when full). */
  private readonly notLive = new Set<string>();
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly events: SessionEvents,
    @Inject(USER_STORE) private readonly store: UserStore,
    @Inject(REGISTRY_STORE) private readonly audit: RegistryStore,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {
    this.subscription = events.ended$.subscribe((ids) => ids.forEach((id) => this.live.delete(id)));
    this.sweeper = setInterval(() => this.sweep(), 3_600_000).unref();
  }

  async onModuleInit(): Promise<void> {
    for (const session of await this.store.liveSessions(Date.now()))
      this.live.set(session.id, session);
  }

  /** Reads the live sessions again: another node of a cluster may have started one. */
  private async reloadLive(): Promise<void> {
    for (const session of await this.store.liveSessions(Date.now()))
      this.live.set(session.id, session);
  }

  /**
   * A live session by id. One this node has not heard of may have begun on another node a moment
   * ago (its announcement still on the way): the live sessions are read again once for it. Only
   * a token this node signed gets here, and an id found ended is not looked for again.
   */
  private async liveSession(id: string): Promise<SessionRecord | undefined> {
    const known = this.live.get(id);
    if (known || this.notLive.has(id)) return known;
    await this.reloadLive();
    const found = this.live.get(id);
    if (!found) {
      if (this.notLive.size >= MAX_NOT_LIVE) this.notLive.clear();
      this.notLive.add(id);
    }
    return found;
  }

  /** A new session for a user who just proved her password. */
  async start(user: UserView): Promise<IssuedSession> {
    const now = Date.now();
    const session: SessionRecord = {
      id: randomUUID(),
      username: user.username,
      startedAt: now,
      expiresAt: now + this.options.refreshTokenSeconds * 1000,
    };
    const refreshToken = newSecret();
    await this.store.startSession(session, {
      tokenHash: fingerprint(refreshToken),
      sessionId: session.id,
      expiresAt: session.expiresAt,
    });
    this.live.set(session.id, session);
    return this.issue(user, session, refreshToken, now);
  }

  /**
   * New tokens for a refresh token, which is used up; undefined when it is unknown, its session
   * has ended, or it was used before, which ends its session for good.
   */
  async refresh(refreshToken: string, address: string): Promise<IssuedSession | undefined> {
    const now = Date.now();
    const use = await this.store.useRefreshToken(fingerprint(refreshToken), now);
    if (use.kind === 'unknown') return undefined;
    const session = await this.liveSession(use.token.sessionId);
    if (use.kind === 'reused') {
      if (session) {
        await this.end(session.id, 'refresh-token-reused');
        this.logger.warn(
          `a used refresh token of ${session.username} was presented again; session ended`,
        );
        await this.audit.recordAudit(
          auditEntry(session.username, 'auth.refresh-token-reused', session.username, undefined, {
            address,
          }),
        );
      }
      return undefined;
    }
    const user = session && session.expiresAt > now && this.users.active(session.username);
    if (!session || !user) return undefined;
    const next = newSecret();
    await this.store.addRefreshToken({
      tokenHash: fingerprint(next),
      sessionId: session.id,
      expiresAt: session.expiresAt,
    });
    return this.issue(user, session, next, now);
  }

  /** The live session a refresh token belongs to, for signing out without an access token. */
  async sessionOf(refreshToken: string): Promise<SessionRecord | undefined> {
    const id = await this.store.sessionOfRefreshToken(fingerprint(refreshToken));
    return id === undefined ? undefined : this.liveSession(id);
  }

  async end(sessionId: string, reason: SessionEndReason): Promise<void> {
    await this.store.endSession(sessionId, reason, Date.now());
    this.events.ended([sessionId]);
  }

  async verify(accessToken: string): Promise<VerifiedAccess | undefined> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_ISSUER,
      });
    } catch {
      return undefined;
    }
    const session = typeof claims.sid === 'string' ? await this.liveSession(claims.sid) : undefined;
    if (!session || session.username !== claims.sub || session.expiresAt <= Date.now())
      return undefined;
    const user = this.users.active(claims.sub);
    return user && { user, sessionId: session.id, expiresAt: claims.exp * 1000 };
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
    clearInterval(this.sweeper);
  }

  private async issue(
    user: UserView,
    session: SessionRecord,
    refreshToken: string,
    now: number,
  ): Promise<IssuedSession> {
    const remaining = Math.max(1, Math.floor((session.expiresAt - now) / 1000));
    const expiresIn = Math.min(this.options.accessTokenSeconds, remaining);
    const accessToken = await this.jwt.signAsync(
      { sub: user.username, sid: session.id },
      { expiresIn, issuer: TOKEN_ISSUER, audience: TOKEN_ISSUER },
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn,
      user,
      refreshToken,
      refreshExpiresIn: remaining,
    };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.live) if (session.expiresAt <= now) this.live.delete(id);
    void this.store.deleteExpiredSessions(now);
  }
}
