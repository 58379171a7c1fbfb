import type { NotificationTarget } from '@vigil/contracts';
import type { Pool } from 'pg';
import type { NotificationStore, QueuedNotification } from '../notification-store.port';
import type { AuditEntry } from '../registry-store.port';
import { createSchemaOnce, inTransaction } from './transactions';
import { AUDIT_SCHEMA, announceChange, appendAudit } from './postgres-audit-log';

/** The embedded store's tables (epoch milliseconds as BIGINT). */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS notification_targets (
    id TEXT PRIMARY KEY, body JSONB NOT NULL, secret TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS notification_queue (
    seq BIGSERIAL PRIMARY KEY, target_id TEXT NOT NULL, message_id TEXT NOT NULL,
    payload TEXT NOT NULL, queued_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL, last_error TEXT, delivered_at BIGINT);
  CREATE INDEX IF NOT EXISTS notification_queue_pending
    ON notification_queue (target_id, seq) WHERE delivered_at IS NULL;
  ${AUDIT_SCHEMA}`;

interface QueueRow {
  seq: string;
  target_id: string;
  message_id: string;
  payload: string;
  queued_at: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

const toQueued = (row: QueueRow): QueuedNotification => ({
  seq: Number(row.seq),
  targetId: row.target_id,
  messageId: row.message_id,
  payload: row.payload,
  queuedAt: Number(row.queued_at),
  attempts: row.attempts,
  nextAttemptAt: Number(row.next_attempt_at),
  ...(row.last_error !== null && { lastError: row.last_error }),
});

/**
 * Notification targets and their durable queues in PostgreSQL (node-postgres), behaving as the
 * embedded store does (notification-store.contract.ts).
 */
export class PostgresNotificationStore implements NotificationStore {
  constructor(private readonly pool: Pool) {}

  async createSchema(): Promise<void> {
    await createSchemaOnce(this.pool, SCHEMA);
  }

  async addTarget(target: NotificationTarget, secret: string, audit: AuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        'INSERT INTO notification_targets (id, body, secret) VALUES ($1, $2, $3)',
        [target.id, JSON.stringify(target), secret],
      );
      await appendAudit(client, audit);
    });
  }

  async removeTarget(targetId: string, audit: AuditEntry): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM notification_queue WHERE target_id = $1', [targetId]);
      await client.query('DELETE FROM notification_targets WHERE id = $1', [targetId]);
      await appendAudit(client, audit);
    });
  }

  async targets(): Promise<{ target: NotificationTarget; secret: string }[]> {
    const { rows } = await this.pool.query<{ body: NotificationTarget; secret: string }>(
      'SELECT body, secret FROM notification_targets ORDER BY id',
    );
    return rows.map((row) => ({ target: row.body, secret: row.secret }));
  }

  enqueue(
    messageId: string,
    payload: string,
    targetIds: readonly string[],
    queuedAt: number,
    maxPending: number,
  ): Promise<{ dropped: string[] }> {
    return inTransaction(this.pool, async (client) => {
      const dropped: string[] = [];
      for (const targetId of targetIds) {
        // Held for the transaction, so two nodes queueing for one target count one after the other.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`queue ${targetId}`]);
        if ((await countPending(client, targetId)) >= maxPending) {
          dropped.push(targetId);
          continue;
        }
        await client.query(
          `INSERT INTO notification_queue (target_id, message_id, payload, queued_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $4)`,
          [targetId, messageId, payload, queuedAt],
        );
        // The node that delivers, perhaps another, starts at once.
        await announceChange(client, 'notification.queued', targetId);
      }
      return { dropped };
    });
  }

  async head(targetId: string): Promise<QueuedNotification | undefined> {
    const { rows } = await this.pool.query<QueueRow>(
      `SELECT * FROM notification_queue WHERE target_id = $1 AND delivered_at IS NULL
         ORDER BY seq LIMIT 1`,
      [targetId],
    );
    return rows[0] && toQueued(rows[0]);
  }

  pendingCount(targetId: string): Promise<number> {
    return countPending(this.pool, targetId);
  }

  async markDelivered(seq: number, at: number): Promise<void> {
    await this.pool.query('UPDATE notification_queue SET delivered_at = $1 WHERE seq = $2', [
      at,
      seq,
    ]);
  }

  async markFailed(seq: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE notification_queue SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2
         WHERE seq = $3`,
      [nextAttemptAt, error.slice(0, 500), seq],
    );
  }

  async pruneDelivered(before: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM notification_queue WHERE delivered_at IS NOT NULL AND delivered_at < $1',
      [before],
    );
    return rowCount ?? 0;
  }
}

async function countPending(db: Pick<Pool, 'query'>, targetId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM notification_queue WHERE target_id = $1 AND delivered_at IS NULL',
    [targetId],
  );
  return Number(rows[0].n);
}
