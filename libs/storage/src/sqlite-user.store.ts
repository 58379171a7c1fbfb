import type { UserRole } from '@vigil/contracts';
import type { EmbeddedDatabase } from './embedded-database';
import type { AuditEntry } from './registry-store.port';
import { SqliteAuditLog } from './sqlite-audit-log';
import {
  DuplicateUserError,
  type RefreshTokenRecord,
  type UserRecord,
  type UserStore,
} from './user-store.port';

interface UserRow {
  username: string;
  display_name: string;
  role: string;
  wards: string;
  password_hash: string;
  disabled: number;
  created_at: string;
}

export class SqliteUserStore implements UserStore {
  private readonly auditLog: SqliteAuditLog;

  constructor(private readonly db: EmbeddedDatabase) {
    this.auditLog = new SqliteAuditLog(db);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[];
    return rows.map((row) => ({
      username: row.username,
      displayName: row.display_name,
      role: row.role as UserRole,
      wards: JSON.parse(row.wards) as string[],
      passwordHash: row.password_hash,
      disabled: row.disabled === 1,
      createdAt: row.created_at,
    }));
  }

  async addUser(user: UserRecord, audit: AuditEntry): Promise<void> {
    this.db.transaction(() => {
      const result = this.db
        .prepare(
          `INSERT OR IGNORE INTO users (username, display_name, role, wards, password_hash, disabled, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...this.columns(user));
      if (result.changes === 0) throw new DuplicateUserError(user.username);
      this.auditLog.append(audit);
    })();
  }

  async updateUser(user: UserRecord, audit: AuditEntry, endSessions: boolean): Promise<void> {
    this.db.transaction(() => {
      const [username, ...rest] = this.columns(user);
      this.db
        .prepare(
          `UPDATE users SET display_name = ?, role = ?, wards = ?, password_hash = ?, disabled = ?, created_at = ?
           WHERE username = ?`,
        )
        .run(...rest, username);
      if (endSessions)
        this.db.prepare('DELETE FROM refresh_tokens WHERE username = ?').run(username);
      this.auditLog.append(audit);
    })();
  }

  async addRefreshToken(token: RefreshTokenRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO refresh_tokens (token_hash, username, expires_at) VALUES (?, ?, ?)')
      .run(token.tokenHash, token.username, token.expiresAt);
  }

  async takeRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.db
      .prepare('DELETE FROM refresh_tokens WHERE token_hash = ? RETURNING username, expires_at')
      .get(tokenHash) as { username: string; expires_at: number } | undefined;
    return row && { tokenHash, username: row.username, expiresAt: row.expires_at };
  }

  async deleteExpiredRefreshTokens(now: number): Promise<number> {
    return this.db.prepare('DELETE FROM refresh_tokens WHERE expires_at <= ?').run(now).changes;
  }

  private columns(user: UserRecord): [string, string, string, string, string, number, string] {
    return [
      user.username,
      user.displayName,
      user.role,
      JSON.stringify(user.wards),
      user.passwordHash,
      user.disabled ? 1 : 0,
      user.createdAt,
    ];
  }
}
