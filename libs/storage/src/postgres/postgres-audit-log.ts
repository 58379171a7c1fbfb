import type { Pool } from 'pg';
import { auditColumns } from '../registry-rows';
import type { AuditEntry } from '../registry-store.port';

/** The audit trail's table, shared by every PostgreSQL store that records changes. */
export const AUDIT_SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_log (
    id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    subject TEXT NOT NULL, old_value JSONB, new_value JSONB);
  CREATE INDEX IF NOT EXISTS audit_log_by_subject ON audit_log (subject, id);`;

/**
 * The channel on which every change to the shared records is announced to the nodes (LISTEN),
 * delivered when its transaction commits: `{"action": "device.bound", "subject": "wear-1"}`.
 */
export const CHANGES_CHANNEL = 'vigil_changes';

/** What changed, announced to every node once the caller's transaction commits. */
export function announceChange(db: Pick<Pool, 'query'>, action: string, subject: string) {
  return db.query('SELECT pg_notify($1, $2)', [
    CHANGES_CHANNEL,
    JSON.stringify({ action, subject }),
  ]);
}

/**
 * Appends an entry, inside the caller's transaction when given its client; every audited change
 * is announced to the nodes with it.
 */
export async function appendAudit(db: Pick<Pool, 'query'>, entry: AuditEntry) {
  await db.query(
    `INSERT INTO audit_log (at, actor, action, subject, old_value, new_value)
       VALUES ($1, $2, $3, $4, $5, $6)`,
    auditColumns(entry),
  );
  await announceChange(db, entry.action, entry.subject);
}
