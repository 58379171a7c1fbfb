import type { UserRole } from '@vigil/contracts';
import type { Pool } from 'pg';
import type { AuditEntry } from '../registry-store.port';
import {
  DuplicateUserError,
  type ApiClientRecord,
  type RefreshTokenRecord,
  type RefreshTokenUse,
  type SessionEndReason,
  type SessionRecord,
  type UserRecord,
  type UserStore,
} from '../user-store.port';
import { createSchemaOnce, inTransaction } from './transactions';
import { AUDIT_SCHEMA, announceChange, appendAudit } from './postgres-audit-log';

/** The embedded store's tables (epoch milliseconds as BIGINT), for nodes sharing one database. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL,
    wards JSONB NOT NULL, password_hash TEXT NOT NULL, disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users(username),
    started_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, ended_at BIGINT, end_reason TEXT);
  CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
  CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),
    expires_at BIGINT NOT NULL, used_at BIGINT);
  CREATE INDEX IF NOT EXISTS refresh_tokens_by_session ON refresh_tokens (session_id);
  CREATE TABLE IF NOT EXISTS api_clients (client_id TEXT PRIMARY KEY, body JSONB NOT NULL);
  ${AUDIT_SCHEMA}`;

interface UserRow {
  username: string;
  display_name: string;
  role: string;
  wards: string[];
  password_hash: string;
  disabled: boolean;
  created_at: string;
}

/**
 * People, sessions and refresh tokens in PostgreSQL (node-postgres), behaving as the embedded
 * store does (user-store.contract.ts). A refresh token is marked used by one conditional UPDATE,
 * so of two nodes presenting it at once exactly one has it.
 */
export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: Pool) {}

  async createSchema(): Promise<void> {
    await createSchemaOnce(this.pool, SCHEMA);
  }

  async listApiClients(): Promise<ApiClientRecord[]> {
    const { rows } = await this.pool.query<{ body: ApiClientRecord }>(
      'SELECT body FROM api_clients ORDER BY client_id',
    );
    return rows.map((row) => row.body);
  }

  async saveApiClient(client: ApiClientRecord, audit: AuditEntry): Promise<void> {
    await inTransaction(this.pool, async (connection) => {
      await connection.query(
        `INSERT INTO api_clients (client_id, body) VALUES ($1, $2)
         ON CONFLICT (client_id) DO UPDATE SET body = EXCLUDED.body`,
        [client.clientId, JSON.stringify(client)],
      );
      await appendAudit(connection, audit);
    });
  }

  async listUsers(): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users ORDER BY username');
    return rows.map((row) => ({
      username: row.username,
      displayName: row.display_name,
      role: row.role as UserRole,
      wards: row.wards,
      passwordHash: row.password_hash,
      disabled: row.disabled,
      createdAt: row.created_at,
    }));
  }

  async addUser(user: UserRecord, audit: AuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO users (username, display_name, role, wards, password_hash, disabled, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING`,
        columns(user),
      );
      if (rowCount === 0) throw new DuplicateUserError(user.username);
      await appendAudit(client, audit);
    });
  }

  updateUser(
    user: UserRecord,
    audit: AuditEntry,
    endSessions: false | { readonly reason: SessionEndReason; readonly keepSessionId?: string },
  ): Promise<string[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `UPDATE users SET display_name = $2, role = $3, wards = $4, password_hash = $5,
           disabled = $6, created_at = $7 WHERE username = $1`,
        columns(user),
      );
      await appendAudit(client, audit);
      if (!endSessions) return [];
      const { rows } = await client.query<{ id: string }>(
        `UPDATE sessions SET ended_at = $1, end_reason = $2
           WHERE username = $3 AND ended_at IS NULL AND id IS DISTINCT FROM $4 RETURNING id`,
        [Date.now(), endSessions.reason, user.username, endSessions.keepSessionId ?? null],
      );
      return rows.map((row) => row.id);
    });
  }

  async startSession(session: SessionRecord, token: RefreshTokenRecord): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO sessions (id, username, started_at, expires_at) VALUES ($1, $2, $3, $4)',
        [session.id, session.username, session.startedAt, session.expiresAt],
      );
      await insertToken(client, token);
    });
  }

  async liveSessions(now: number): Promise<SessionRecord[]> {
    const { rows } = await this.pool.query<{
      id: string;
      username: string;
      started_at: string;
      expires_at: string;
    }>(
      `SELECT id, username, started_at, expires_at FROM sessions
         WHERE ended_at IS NULL AND expires_at > $1`,
      [now],
    );
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      startedAt: Number(row.started_at),
      expiresAt: Number(row.expires_at),
    }));
  }

  async sessionOfRefreshToken(tokenHash: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ session_id: string }>(
      'SELECT session_id FROM refresh_tokens WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0]?.session_id;
  }

  async useRefreshToken(tokenHash: string, now: number): Promise<RefreshTokenUse> {
    const used = await this.pool.query<{ session_id: string; expires_at: string }>(
      `UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL
         RETURNING session_id, expires_at`,
      [tokenHash, now],
    );
    const fresh = used.rows[0];
    if (fresh)
      return {
        kind: 'fresh',
        token: { tokenHash, sessionId: fresh.session_id, expiresAt: Number(fresh.expires_at) },
      };
    const { rows } = await this.pool.query<{ session_id: string; expires_at: string }>(
      'SELECT session_id, expires_at FROM refresh_tokens WHERE token_hash = $1',
      [tokenHash],
    );
    const known = rows[0];
    if (!known) return { kind: 'unknown' };
    return {
      kind: 'reused',
      token: { tokenHash, sessionId: known.session_id, expiresAt: Number(known.expires_at) },
    };
  }

  async addRefreshToken(token: RefreshTokenRecord): Promise<void> {
    await insertToken(this.pool, token);
  }

  async endSession(sessionId: string, reason: SessionEndReason, now: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        'UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL',
        [now, reason, sessionId],
      );
      await announceChange(client, 'session.ended', sessionId);
    });
  }

  deleteExpiredSessions(now: number): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        'DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE expires_at <= $1)',
        [now],
      );
      const { rowCount } = await client.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
      return rowCount ?? 0;
    });
  }
}

function columns(user: UserRecord): unknown[] {
  return [
    user.username,
    user.displayName,
    user.role,
    JSON.stringify(user.wards),
    user.passwordHash,
    user.disabled,
    user.createdAt,
  ];
}

function insertToken(db: Pick<Pool, 'query'>, token: RefreshTokenRecord) {
  return db.query(
    'INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)',
    [token.tokenHash, token.sessionId, token.expiresAt],
  );
}
