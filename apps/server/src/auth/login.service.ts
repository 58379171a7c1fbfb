import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { UserView } from '@vigil/contracts';
import { REGISTRY_STORE, auditEntry, type RegistryStore } from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import type { AuthOptions } from '../config/vigil-config';
import { AUTH_OPTIONS } from './auth.tokens';
import { LoginThrottle } from './login-throttle';
import { SessionService, type IssuedSession } from './session.service';
import { UsersService } from './users.service';

/** An address may fail this many times more than one user name, as a ward shares computers. */
const ADDRESS_ALLOWANCE = 4;
const DEVICE_AUDIENCE = 'vigil-device';
/** How long a browser a user signed in from stays known for her. */
export const DEVICE_TOKEN_SECONDS = 180 * 86_400;

export type LoginOutcome =
  | {
      readonly ok: true;
      readonly session: IssuedSession;
      /** Marks the browser as one she signs in from (a device cookie). */
      readonly deviceToken: string;
    }
  | { readonly ok: false; readonly retryAfterMs?: number };

export type PasswordChangeOutcome = 'changed' | 'wrong' | { readonly retryAfterMs: number };

type ThrottleKey = readonly [LoginThrottle, string];

/**
 * Everything that checks a person's password: sign-in and password change, throttled and
 * audited. Attempts are counted before the password is hashed, so parallel guesses gain nothing
 * and cannot keep the cores busy with scrypt.
 *
 * Lockout follows OWASP's device cookies: a browser a user signed in from before carries a
 * signed cookie naming her, and its attempts count against that browser alone; every other
 * attempt counts against her user name and the address it came from. An attacker hammering her
 * name locks out unknown browsers, never the ward computer she signs in from
 * (owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies).
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger(LoginService.name);
  private readonly byUser: LoginThrottle;
  private readonly byAddress: LoginThrottle;
  private readonly byDevice: LoginThrottle;
  private readonly byPasswordChange: LoginThrottle;

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly jwt: JwtService,
    @Inject(REGISTRY_STORE) private readonly audit: RegistryStore,
    @Inject(AUTH_OPTIONS) options: AuthOptions,
  ) {
    const windowMs = options.loginWindowSeconds * 1000;
    this.byUser = new LoginThrottle(options.loginMaxFailures, windowMs);
    this.byAddress = new LoginThrottle(options.loginMaxFailures * ADDRESS_ALLOWANCE, windowMs);
    this.byDevice = new LoginThrottle(options.loginMaxFailures, windowMs);
    this.byPasswordChange = new LoginThrottle(options.loginMaxFailures, windowMs);
  }

  async login(
    username: string,
    password: string,
    address: string,
    deviceToken?: string,
  ): Promise<LoginOutcome> {
    const device = deviceToken && (await this.deviceOf(deviceToken, username));
    const keys: ThrottleKey[] = device
      ? [[this.byDevice, device]]
      : [
          [this.byUser, username],
          [this.byAddress, address],
        ];
    // A name that is no user may be a password typed in the wrong field: it is not recorded.
    const named = this.users.exists(username) ? username : '(unknown user)';
    // From the check to the reservation nothing awaits, so no parallel attempt slips between.
    const retryAfterMs = this.reserve(keys);
    if (retryAfterMs > 0) {
      this.logger.warn(`sign-in for ${named} from ${address} throttled`);
      return { ok: false, retryAfterMs };
    }
    const user = await this.users.verifyPassword(username, password);
    await this.record(named, user ? 'auth.login' : 'auth.login-failed', address);
    if (!user) return { ok: false };
    if (device) {
      this.byDevice.clear(device);
    } else {
      this.byUser.clear(username);
      this.byAddress.release(address);
    }
    return {
      ok: true,
      session: await this.sessions.start(user),
      deviceToken: await this.jwt.signAsync(
        { sub: user.username, did: device || randomUUID() },
        { audience: DEVICE_AUDIENCE, expiresIn: DEVICE_TOKEN_SECONDS },
      ),
    };
  }

  async logout(username: string, sessionId: string, address: string): Promise<void> {
    await this.sessions.end(sessionId, 'logout');
    await this.record(username, 'auth.logout', address);
  }

  /** Her own password, throttled like sign-in; a wrong current password is audited. */
  async changePassword(
    user: UserView,
    sessionId: string,
    current: string,
    next: string,
    address: string,
  ): Promise<PasswordChangeOutcome> {
    const retryAfterMs = this.reserve([[this.byPasswordChange, user.username]]);
    if (retryAfterMs > 0) {
      this.logger.warn(`password change for ${user.username} from ${address} throttled`);
      return { retryAfterMs };
    }
    const changed = await this.users.changeOwnPassword(user.username, current, next, sessionId);
    if (!changed) {
      await this.record(user.username, 'auth.password-change-failed', address);
      return 'wrong';
    }
    this.byPasswordChange.clear(user.username);
    return 'changed';
  }

  /** Reserves an attempt on every key, or on none and answers how long to wait. */
  private reserve(keys: readonly ThrottleKey[]): number {
    const retryAfterMs = Math.max(0, ...keys.map(([throttle, key]) => throttle.retryAfterMs(key)));
    if (retryAfterMs === 0) for (const [throttle, key] of keys) throttle.reserve(key);
    return retryAfterMs;
  }

  /** The browser's id when its device cookie is genuine and names this user. */
  private async deviceOf(token: string, username: string): Promise<string | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<{ sub: string; did: string }>(token, {
        algorithms: ['HS256'],
        audience: DEVICE_AUDIENCE,
      });
      return claims.sub === username && typeof claims.did === 'string' ? claims.did : undefined;
    } catch {
      return undefined;
    }
  }

  private record(username: string, action: string, address: string): Promise<void> {
    return this.audit.recordAudit(auditEntry(username, action, username, undefined, { address }));
  }
}
