import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { EmbeddedDatabase } from './embedded-database';
import { auditColumns } from './registry-rows';
import type { AuditEntry, AuditQuery, StoredAuditEntry } from './registry-store.port';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  old_value: string | null;
  new_value: string | null;
}

/** The `audit_log` table: appended inside the caller's transaction, never updated. */
export class EmbeddedAuditLog {
  private readonly insert: Statement;

  constructor(private readonly db: EmbeddedDatabase) {
    this.insert = db.prepare(
      'INSERT INTO audit_log (at, actor, action, subject, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  append(entry: AuditEntry): void {
    this.insert.run(...auditColumns(entry));
  }

  list(query: AuditQuery): StoredAuditEntry[] {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (query.subject) {
      where.push('subject = ?');
      values.push(query.subject);
    }
    if (query.actor) {
      where.push('actor = ?');
      values.push(query.actor);
    }
    if (query.action) {
      where.push('(action = ? OR action LIKE ?)');
      values.push(query.action, `${query.action}:%`);
    }
    if (query.after !== undefined) {
      where.push('id > ?');
      values.push(query.after);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    const rows = this.db.prepare(sql).all(...values, query.limit) as AuditRow[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      ...(row.old_value !== null && { oldValue: JSON.parse(row.old_value) as unknown }),
      ...(row.new_value !== null && { newValue: JSON.parse(row.new_value) as unknown }),
    }));
  }
}
