import type { EmbeddedDatabase } from './embedded-database';
import type { EmbeddedWriter } from './embedded-writer';
import type { Hl7Outbox, Hl7OutboundMessage, NewHl7Message } from './hl7-outbox.port';

interface OutboxRow {
  seq: number;
  patient_id: string;
  ward: string;
  control_id: string;
  message: string;
  queued_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

const toMessage = (row: OutboxRow): Hl7OutboundMessage => ({
  seq: row.seq,
  patientId: row.patient_id,
  ward: row.ward,
  controlId: row.control_id,
  message: row.message,
  queuedAt: row.queued_at,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  ...(row.last_error !== null && { lastError: row.last_error }),
});

/** The first message of each patient's queue. */
const HEADS = `SELECT * FROM hl7_outbox o
  WHERE seq = (SELECT MIN(seq) FROM hl7_outbox WHERE patient_id = o.patient_id)`;

/**
 * Reads on the main thread's connection; writes through the writer, so that charting thousands of
 * patients and acknowledging their messages share fsyncs off the broker's thread.
 */
export class EmbeddedHl7Outbox implements Hl7Outbox {
  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly writer: EmbeddedWriter,
  ) {}

  async marks(): Promise<Map<string, number>> {
    const rows = this.db.prepare('SELECT patient_id, charted_until FROM hl7_marks').all() as {
      patient_id: string;
      charted_until: number;
    }[];
    return new Map(rows.map((row) => [row.patient_id, row.charted_until]));
  }

  chart(patientId: string, chartedUntil: number, message: NewHl7Message | undefined) {
    return this.writer.write({
      hl7: [{ kind: 'chart', patientId, chartedUntil, ...(message && { message }) }],
    });
  }

  async dueHeads(now: number, limit: number): Promise<Hl7OutboundMessage[]> {
    const rows = this.db
      .prepare(`${HEADS} AND next_attempt_at <= ? ORDER BY seq LIMIT ?`)
      .all(now, limit) as OutboxRow[];
    return rows.map(toMessage);
  }

  async nextAttemptAt(): Promise<number | undefined> {
    const row = this.db.prepare(`SELECT MIN(next_attempt_at) AS at FROM (${HEADS})`).get() as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  acknowledged(seq: number): Promise<void> {
    return this.writer.write({ hl7: [{ kind: 'acknowledged', seq }] });
  }

  failed(seq: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.writer.write({ hl7: [{ kind: 'failed', seq, nextAttemptAt, error }] });
  }

  async oldestByWard(): Promise<Map<string, number>> {
    const rows = this.db
      .prepare('SELECT ward, MIN(queued_at) AS oldest FROM hl7_outbox GROUP BY ward')
      .all() as { ward: string; oldest: number }[];
    return new Map(rows.map((row) => [row.ward, row.oldest]));
  }

  async depth(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM hl7_outbox').get() as { n: number }).n;
  }
}
