import { Inject, Injectable, Logger } from '@nestjs/common';
import { REGISTRY_STORE, auditEntry, type RegistryStore } from '@vigil/storage';
import type { AuthOptions } from '../config/vigil-config';
import { AUTH_OPTIONS } from './auth.tokens';
import { LoginThrottle } from './login-throttle';
import { SessionService, type IssuedSession } from './session.service';
import { UsersService } from './users.service';

/** An address may fail this many times more than one user name, as a ward shares computers. */
const ADDRESS_ALLOWANCE = 4;

export type LoginOutcome =
  | { readonly ok: true; readonly session: IssuedSession }
  | { readonly ok: false; readonly retryAfterMs?: number };

/** Password sign-in, throttled per user name and per address, every attempt audited. */
@Injectable()
export class LoginService {
  private readonly logger = new Logger(LoginService.name);
  private readonly byUser: LoginThrottle;
  private readonly byAddress: LoginThrottle;

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    @Inject(REGISTRY_STORE) private readonly audit: RegistryStore,
    @Inject(AUTH_OPTIONS) options: AuthOptions,
  ) {
    const windowMs = options.loginWindowSeconds * 1000;
    this.byUser = new LoginThrottle(options.loginMaxFailures, windowMs);
    this.byAddress = new LoginThrottle(options.loginMaxFailures * ADDRESS_ALLOWANCE, windowMs);
  }

  async login(username: string, password: string, address: string): Promise<LoginOutcome> {
    const retryAfterMs = Math.max(
      this.byUser.retryAfterMs(username),
      this.byAddress.retryAfterMs(address),
    );
    // A name that is no user may be a password typed in the wrong field: it is not recorded.
    const named = this.users.exists(username) ? username : '(unknown user)';
    if (retryAfterMs > 0) {
      this.logger.warn(`sign-in for ${named} from ${address} throttled`);
      return { ok: false, retryAfterMs };
    }
    const user = await this.users.verifyPassword(username, password);
    await this.record(named, user ? 'auth.login' : 'auth.login-failed', address);
    if (!user) {
      this.byUser.recordFailure(username);
      this.byAddress.recordFailure(address);
      return { ok: false };
    }
    this.byUser.recordSuccess(username);
    return { ok: true, session: await this.sessions.issue(user) };
  }

  async logout(username: string, refreshToken: string | undefined, address: string): Promise<void> {
    if (refreshToken) await this.sessions.end(refreshToken);
    await this.record(username, 'auth.logout', address);
  }

  private record(username: string, action: string, address: string): Promise<void> {
    return this.audit.recordAudit(auditEntry(username, action, username, undefined, { address }));
  }
}
