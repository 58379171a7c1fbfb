import type { UserRole } from '@vigil/contracts';
import { writeTransaction, type EmbeddedDatabase } from './embedded-database';
import type { AuditEntry } from './registry-store.port';
import { EmbeddedAuditLog } from './embedded-audit-log';
import {
  DuplicateUserError,
  type ApiClientRecord,
  type RefreshTokenRecord,
  type RefreshTokenUse,
  type SessionEndReason,
  type SessionRecord,
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

export class EmbeddedUserStore implements UserStore {
  private readonly auditLog: EmbeddedAuditLog;

  constructor(private readonly db: EmbeddedDatabase) {
    this.auditLog = new EmbeddedAuditLog(db);
  }

  async listApiClients(): Promise<ApiClientRecord[]> {
    const rows = this.db.prepare('SELECT body FROM api_clients ORDER BY client_id').all() as {
      body: string;
    }[];
    return rows.map((row) => JSON.parse(row.body) as ApiClientRecord);
  }

  async saveApiClient(client: ApiClientRecord, audit: AuditEntry): Promise<void> {
    writeTransaction(this.db, () => {
      this.db
        .prepare('INSERT OR REPLACE INTO api_clients (client_id, body) VALUES (?, ?)')
        .run(client.clientId, JSON.stringify(client));
      this.auditLog.append(audit);
    })();
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
    writeTransaction(this.db, () => {
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

  async updateUser(
    user: UserRecord,
    audit: AuditEntry,
    endSessions: false | { readonly reason: SessionEndReason; readonly keepSessionId?: string },
  ): Promise<string[]> {
    return writeTransaction(this.db, () => {
      const [username, ...rest] = this.columns(user);
      this.db
        .prepare(
          `UPDATE users SET display_name = ?, role = ?, wards = ?, password_hash = ?, disabled = ?, created_at = ?
           WHERE username = ?`,
        )
        .run(...rest, username);
      this.auditLog.append(audit);
      if (!endSessions) return [];
      const ended = this.db
        .prepare(
          `UPDATE sessions SET ended_at = ?, end_reason = ?
           WHERE username = ? AND ended_at IS NULL AND id IS NOT ? RETURNING id`,
        )
        .all(Date.now(), endSessions.reason, username, endSessions.keepSessionId ?? null) as {
        id: string;
      }[];
      return ended.map((row) => row.id);
    })();
  }

  async startSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void> {
    writeTransaction(this.db, () => {
      this.db
        .prepare('INSERT INTO sessions (id, username, started_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(session.id, session.username, session.startedAt, session.expiresAt);
      this.insertToken(token);
    })();
  }

  async liveSessions(now: number): Promise<SessionRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT id, username, started_at, expires_at FROM sessions
         WHERE ended_at IS NULL AND expires_at > ?`,
      )
      .all(now) as { id: string; username: string; started_at: number; expires_at: number }[];
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      startedAt: row.started_at,
      expiresAt: row.expires_at,
    }));
  }

  async sessionOfRefreshToken(tokenHash: string): Promise<string | undefined> {
    const row = this.db
      .prepare('SELECT session_id FROM refresh_tokens WHERE token_hash = ?')
      .get(tokenHash) as { session_id: string } | undefined;
    return row?.session_id;
  }

  async useRefreshToken(tokenHash: string, now: number): Promise<RefreshTokenUse> {
    return writeTransaction(this.db, (): RefreshTokenUse => {
      const row = this.db
        .prepare('SELECT session_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?')
        .get(tokenHash) as
        { session_id: string; expires_at: number; used_at: number | null } | undefined;
      if (!row) return { kind: 'unknown' };
      const token = { tokenHash, sessionId: row.session_id, expiresAt: row.expires_at };
      if (row.used_at !== null) return { kind: 'reused', token };
      this.db
        .prepare('UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?')
        .run(now, tokenHash);
      return { kind: 'fresh', token };
    })();
  }

  async addRefreshToken(token: RefreshTokenRecord): Promise<void> {
    this.insertToken(token);
  }

  async endSession(sessionId: string, reason: SessionEndReason, now: number): Promise<void> {
    this.db
      .prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL')
      .run(now, reason, sessionId);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return writeTransaction(this.db, () => {
      this.db
        .prepare(
          'DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE expires_at <= ?)',
        )
        .run(now);
      return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
    })();
  }

  private insertToken(token: RefreshTokenRecord): void {
    this.db
      .prepare('INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)')
      .run(token.tokenHash, token.sessionId, token.expiresAt);
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
