import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { SessionView, UserView } from '@vigil/contracts';
import { USER_STORE, type UserStore } from '@vigil/storage';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthOptions } from '../config/vigil-config';
import { fingerprint, newSecret } from '../security/secret-hash';
import { AUTH_OPTIONS } from './auth.tokens';
import { UsersService } from './users.service';

const ISSUER = 'vigil';
const SIGNING_KEY_FILE = 'auth-signing.key';

export interface IssuedSession extends SessionView {
  /** Goes to the browser only as an HttpOnly cookie. */
  readonly refreshToken: string;
  readonly refreshExpiresIn: number;
}

export interface VerifiedAccess {
  readonly user: UserView;
  /** Epoch ms when the access token expires. */
  readonly expiresAt: number;
}

/** The signing key from AUTH_SIGNING_KEY, or one generated at the first start and kept in DATA_DIR. */
export function loadSigningKey(options: AuthOptions, dataDir: string): string {
  if (options.signingKey) return options.signingKey;
  if (dataDir === ':memory:') return newSecret() + newSecret();
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (!existsSync(file)) writeFileSync(file, newSecret() + newSecret(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * Short-lived access tokens (JWT, HS256) and single-use refresh tokens (random, stored hashed,
 * rotated on every use). The user is looked up on every verification, so disabling her or
 * changing her wards takes effect on her next request, not when her token expires.
 */
@Injectable()
export class SessionService implements OnModuleDestroy {
  /** Tokens issued before this second (per user) were ended by a change to her access. */
  private readonly endedBefore = new Map<string, number>();
  private readonly subscription;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    @Inject(USER_STORE) private readonly store: UserStore,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {
    this.subscription = users.accessEnded$.subscribe((username) =>
      this.endedBefore.set(username, Math.floor(Date.now() / 1000)),
    );
    this.sweeper = setInterval(
      () => void this.store.deleteExpiredRefreshTokens(Date.now()),
      3_600_000,
    ).unref();
  }

  async issue(user: UserView): Promise<IssuedSession> {
    const accessToken = await this.jwt.signAsync(
      { sub: user.username },
      { expiresIn: this.options.accessTokenSeconds, issuer: ISSUER, audience: ISSUER },
    );
    const refreshToken = newSecret();
    await this.store.addRefreshToken({
      tokenHash: fingerprint(refreshToken),
      username: user.username,
      expiresAt: Date.now() + this.options.refreshTokenSeconds * 1000,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.options.accessTokenSeconds,
      user,
      refreshToken,
      refreshExpiresIn: this.options.refreshTokenSeconds,
    };
  }

  /** A new session for a valid refresh token, which is used up; undefined otherwise. */
  async refresh(refreshToken: string): Promise<IssuedSession | undefined> {
    const stored = await this.store.takeRefreshToken(fingerprint(refreshToken));
    const user = stored && stored.expiresAt > Date.now() && this.users.active(stored.username);
    return user ? this.issue(user) : undefined;
  }

  async end(refreshToken: string): Promise<void> {
    await this.store.takeRefreshToken(fingerprint(refreshToken));
  }

  async verify(accessToken: string): Promise<VerifiedAccess | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<{ sub: string; iat: number; exp: number }>(
        accessToken,
        { algorithms: ['HS256'], issuer: ISSUER, audience: ISSUER },
      );
      if (claims.iat < (this.endedBefore.get(claims.sub) ?? 0)) return undefined;
      const user = this.users.active(claims.sub);
      return user && { user, expiresAt: claims.exp * 1000 };
    } catch {
      return undefined;
    }
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
    clearInterval(this.sweeper);
  }
}
