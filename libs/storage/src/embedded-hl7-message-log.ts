import type { EmbeddedDatabase } from './embedded-database';
import type { Hl7MessageLog } from './hl7-message-log.port';

export class EmbeddedHl7MessageLog implements Hl7MessageLog {
  constructor(private readonly db: EmbeddedDatabase) {}

  async ackOf(key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT ack FROM hl7_messages WHERE key = ?').get(key) as
      { ack: string } | undefined;
    return row?.ack;
  }

  async record(key: string, receivedAt: string, ack: string): Promise<void> {
    this.db
      .prepare('INSERT OR IGNORE INTO hl7_messages (key, received_at, ack) VALUES (?, ?, ?)')
      .run(key, receivedAt, ack);
  }
}
