import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { WARD_SCOPED_ROLES, type UserView } from '@vigil/contracts';
import { type CreateUserDto, type UpdateUserDto } from '@vigil/dto';
import { USER_STORE, auditEntry, type UserRecord, type UserStore } from '@vigil/storage';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthOptions } from '../config/vigil-config';
import { hashSecret, newSecret, verifySecret } from '../security/secret-hash';
import { AUTH_OPTIONS, AUTH_DATA_DIR } from './auth.tokens';
import { UserNotFoundError, UserRulesError } from './auth.errors';
import { SessionEvents } from './session-events';

/** Verified against when the user name is unknown, so a miss costs as long as a wrong password. */
const DECOY_HASH = hashSecret(newSecret());

export const INITIAL_ADMIN_PASSWORD_FILE = 'initial-admin-password';

function view(user: UserRecord): UserView {
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    wards: user.wards,
    disabled: user.disabled,
    createdAt: user.createdAt,
  };
}

/** The people who sign in: their roles, wards and password hashes, cached in memory. */
@Injectable()
export class UsersService implements OnModuleInit {
  private readonly logger = new Logger(UsersService.name);
  private readonly users = new Map<string, UserRecord>();

  constructor(
    private readonly sessionEvents: SessionEvents,
    @Inject(USER_STORE) private readonly store: UserStore,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(AUTH_DATA_DIR) private readonly dataDir: string,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const user of await this.store.listUsers()) this.users.set(user.username, user);
    if (this.users.size === 0) await this.createFirstAdministrator();
  }

  /** Reads the users again: another node changed one (a cluster's change announcement). */
  async reload(): Promise<void> {
    const users = await this.store.listUsers();
    this.users.clear();
    for (const user of users) this.users.set(user.username, user);
  }

  list(): UserView[] {
    return [...this.users.values()].map(view);
  }

  exists(username: string): boolean {
    return this.users.has(username);
  }

  /** The active user of that name, as the guards see her on every request. */
  active(username: string): UserView | undefined {
    const user = this.users.get(username);
    return user && !user.disabled ? view(user) : undefined;
  }

  /** The user when the password is hers and she is not disabled. */
  async verifyPassword(username: string, password: string): Promise<UserView | undefined> {
    const user = this.users.get(username);
    const valid = await verifySecret(password, user?.passwordHash ?? (await DECOY_HASH));
    return valid && user && !user.disabled ? view(user) : undefined;
  }

  async create(dto: CreateUserDto, by: string): Promise<UserView> {
    const wards = this.wardsFor(dto.role, dto.wards);
    const user: UserRecord = {
      username: dto.username,
      displayName: dto.displayName,
      role: dto.role,
      wards,
      passwordHash: await hashSecret(dto.password),
      disabled: false,
      createdAt: new Date().toISOString(),
    };
    await this.store.addUser(
      user,
      auditEntry(by, 'user.created', user.username, undefined, { role: user.role, wards }),
    );
    this.users.set(user.username, user);
    this.logger.log(`user ${user.username} created (${user.role}) by ${by}`);
    return view(user);
  }

  async update(username: string, dto: UpdateUserDto, by: string): Promise<UserView> {
    const user = this.users.get(username);
    if (!user) throw new UserNotFoundError(username);
    const role = dto.role ?? user.role;
    const updated: UserRecord = {
      ...user,
      displayName: dto.displayName ?? user.displayName,
      role,
      wards: this.wardsFor(role, dto.wards ?? (role === user.role ? user.wards : undefined)),
      disabled: dto.disabled ?? user.disabled,
      passwordHash: dto.password ? await hashSecret(dto.password) : user.passwordHash,
    };
    if (username === by && (updated.disabled || updated.role !== 'admin'))
      throw new UserRulesError('an administrator cannot disable or demote herself');
    const accessChanged =
      updated.disabled !== user.disabled ||
      updated.role !== user.role ||
      updated.wards.join() !== user.wards.join() ||
      dto.password !== undefined;
    // Her sessions end with the change: every token issued for them stops at its next use.
    const ended = await this.store.updateUser(
      updated,
      auditEntry(
        by,
        dto.password ? 'user.updated-with-password' : 'user.updated',
        username,
        { role: user.role, wards: user.wards, disabled: user.disabled },
        { role: updated.role, wards: updated.wards, disabled: updated.disabled },
      ),
      accessChanged && { reason: 'access-changed' },
    );
    this.users.set(username, updated);
    this.sessionEvents.ended(ended);
    return view(updated);
  }

  /**
   * Sets her new password once she proved the current one; her other sessions end, the one she
   * made the change in goes on. Throttling is the caller's (LoginService).
   */
  async changeOwnPassword(
    username: string,
    current: string,
    next: string,
    sessionId: string,
  ): Promise<boolean> {
    if (!(await this.verifyPassword(username, current))) return false;
    const user = this.users.get(username) as UserRecord;
    const updated = { ...user, passwordHash: await hashSecret(next) };
    const ended = await this.store.updateUser(
      updated,
      auditEntry(username, 'user.password-changed', username, undefined, undefined),
      { reason: 'password-changed', keepSessionId: sessionId },
    );
    this.users.set(username, updated);
    this.sessionEvents.ended(ended);
    return true;
  }

  private wardsFor(role: UserRecord['role'], wards: readonly string[] | undefined): string[] {
    if (!WARD_SCOPED_ROLES.includes(role)) return [];
    if (!wards || wards.length === 0) throw new UserRulesError(`a ${role} needs at least one ward`);
    return [...wards];
  }

  /**
   * The first start has no users: the administrator named by ADMIN_USERNAME is created with
   * ADMIN_PASSWORD, or with a random password written to a file only the owner can read.
   */
  private async createFirstAdministrator(): Promise<void> {
    const { adminUsername, adminPassword } = this.options;
    let password = adminPassword;
    let file: string | undefined;
    if (!password) {
      if (this.dataDir === ':memory:')
        throw new Error('ADMIN_PASSWORD is required when DATA_DIR is :memory:');
      password = newSecret();
      file = join(this.dataDir, INITIAL_ADMIN_PASSWORD_FILE);
      writeFileSync(file, `${password}\n`, { mode: 0o600 });
    }
    await this.create(
      { username: adminUsername, displayName: 'Administrator', role: 'admin', password },
      'first start',
    );
    this.logger.warn(
      file
        ? `first administrator "${adminUsername}" created; its password is in ${file}: sign in, change it, delete the file`
        : `first administrator "${adminUsername}" created with ADMIN_PASSWORD`,
    );
  }
}
