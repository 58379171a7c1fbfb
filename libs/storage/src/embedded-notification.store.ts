import type { NotificationTarget } from '@vigil/contracts';
import { EmbeddedAuditLog } from './embedded-audit-log';
import { writeTransaction, type EmbeddedDatabase } from './embedded-database';
import type { NotificationStore, QueuedNotification } from './notification-store.port';
import type { AuditEntry } from './registry-store.port';

interface QueueRow {
  seq: number;
  target_id: string;
  message_id: string;
  payload: string;
  queued_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

const toQueued = (row: QueueRow): QueuedNotification => ({
  seq: row.seq,
  targetId: row.target_id,
  messageId: row.message_id,
  payload: row.payload,
  queuedAt: row.queued_at,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  ...(row.last_error !== null && { lastError: row.last_error }),
});

export class EmbeddedNotificationStore implements NotificationStore {
  private readonly auditLog: EmbeddedAuditLog;
  private readonly insertQueued;
  private readonly countPending;
  private readonly selectHead;

  constructor(private readonly db: EmbeddedDatabase) {
    this.auditLog = new EmbeddedAuditLog(db);
    this.insertQueued = db.prepare(
      `INSERT INTO notification_queue (target_id, message_id, payload, queued_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?)`,
    );
    this.countPending = db.prepare(
      'SELECT count(*) AS n FROM notification_queue WHERE target_id = ? AND delivered_at IS NULL',
    );
    this.selectHead = db.prepare(
      `SELECT * FROM notification_queue WHERE target_id = ? AND delivered_at IS NULL
         ORDER BY seq LIMIT 1`,
    );
  }

  async addTarget(target: NotificationTarget, secret: string, audit: AuditEntry): Promise<void> {
    writeTransaction(this.db, () => {
      this.db
        .prepare('INSERT INTO notification_targets (id, body, secret) VALUES (?, ?, ?)')
        .run(target.id, JSON.stringify(target), secret);
      this.auditLog.append(audit);
    })();
  }

  async removeTarget(targetId: string, audit: AuditEntry): Promise<void> {
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM notification_queue WHERE target_id = ?').run(targetId);
      this.db.prepare('DELETE FROM notification_targets WHERE id = ?').run(targetId);
      this.auditLog.append(audit);
    })();
  }

  async targets(): Promise<{ target: NotificationTarget; secret: string }[]> {
    const rows = this.db
      .prepare('SELECT body, secret FROM notification_targets ORDER BY id')
      .all() as { body: string; secret: string }[];
    return rows.map((row) => ({
      target: JSON.parse(row.body) as NotificationTarget,
      secret: row.secret,
    }));
  }

  async enqueue(
    messageId: string,
    payload: string,
    targetIds: readonly string[],
    queuedAt: number,
    maxPending: number,
  ): Promise<{ dropped: string[] }> {
    const dropped: string[] = [];
    writeTransaction(this.db, () => {
      for (const targetId of targetIds) {
        if ((this.countPending.get(targetId) as { n: number }).n >= maxPending) {
          dropped.push(targetId);
          continue;
        }
        this.insertQueued.run(targetId, messageId, payload, queuedAt, queuedAt);
      }
    })();
    return { dropped };
  }

  async head(targetId: string): Promise<QueuedNotification | undefined> {
    const row = this.selectHead.get(targetId) as QueueRow | undefined;
    return row && toQueued(row);
  }

  async pendingCount(targetId: string): Promise<number> {
    return (this.countPending.get(targetId) as { n: number }).n;
  }

  async markDelivered(seq: number, at: number): Promise<void> {
    this.db.prepare('UPDATE notification_queue SET delivered_at = ? WHERE seq = ?').run(at, seq);
  }

  async markFailed(seq: number, nextAttemptAt: number, error: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE notification_queue SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
           WHERE seq = ?`,
      )
      .run(nextAttemptAt, error.slice(0, 500), seq);
  }

  async pruneDelivered(before: number): Promise<number> {
    return this.db
      .prepare('DELETE FROM notification_queue WHERE delivered_at IS NOT NULL AND delivered_at < ?')
      .run(before).changes;
  }
}
